// Session helpers shared by the specs: a generated deep session imported through the UI, the
// exported file read back from a real download, and id-insensitive comparison of exports.
import { readFile } from 'node:fs/promises';
import { expect, type Page, type TestInfo } from '@playwright/test';
import type { SessionExport } from '../../src/shared/ipc/export-format';
import { writeSessionFile, type GenerateSessionOptions, type GeneratedSession } from './generate-session';
import { importFileThroughUi, waitForLogLoaded } from './ui';

export const DEEP_SESSION: GenerateSessionOptions = { nodes: 300, maxDepth: 6, seed: 7, sessionName: 'Deep tree session', agentName: 'Imported agent' };

export interface ImportedSession extends GeneratedSession {
  file: string;
}

/** Writes a generated session to the test's output folder and imports it through the UI. */
export async function importGeneratedSession(page: Page, testInfo: TestInfo, options: GenerateSessionOptions = DEEP_SESSION, loadTimeout?: number): Promise<ImportedSession> {
  const file = testInfo.outputPath(`session-${options.nodes}.json`);
  const generated = await writeSessionFile(file, options);
  const name = generated.data.session.name;
  await importFileThroughUi(page, file, `Imported session “${name}”`);
  // The import selects the agent and opens the session.
  await expect(page.getByTestId('session-title')).toHaveText(name);
  await waitForLogLoaded(page, options.nodes, loadTimeout);
  return { ...generated, file };
}

/** Clicks Export in the session header and parses the downloaded file. */
export async function exportOpenSession(page: Page): Promise<{ data: SessionExport; fileName: string; path: string }> {
  const download = page.waitForEvent('download');
  await page.getByTestId('session-header').getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  const path = await file.path();
  const data = JSON.parse(await readFile(path, 'utf8')) as SessionExport;
  return { data, fileName: file.suggestedFilename(), path };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The document with every id replaced by its order of first appearance, so two exports of the
 * same content under different ids (an import that had to mint new ones) compare equal.
 */
export function withOrdinalIds(data: unknown): unknown {
  const seen = new Map<string, string>();
  const text = JSON.stringify(data).replace(UUID, (id) => {
    const key = id.toLowerCase();
    if (!seen.has(key)) seen.set(key, `id#${seen.size}`);
    return seen.get(key)!;
  });
  return JSON.parse(text);
}
