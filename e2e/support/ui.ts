// How the specs drive Paddock's UI: readiness signals and the few multi-step gestures several
// specs share. Every wait is on an element, attribute or text the app renders, never a delay.
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/**
 * The shell has rendered and the first agents load has settled: the sidebar shows a list, the
 * empty state or an error (the page opened without a token lands on the error).
 */
export async function waitForAppReady(page: Page): Promise<void> {
  await expect(page.getByTestId('agents-pane')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('agent-list').or(page.getByTestId('agents-empty')).or(page.getByTestId('agents-error'))).toBeVisible({ timeout: 30_000 });
}

/** The sidebar row of an agent (the exact name, not a prefix). */
export function agentRow(page: Page, name: string): Locator {
  return page.getByTestId('agent-item').filter({ has: page.locator('.agent-item-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

export function toast(page: Page, text: string | RegExp): Locator {
  return page.getByTestId('toast').filter({ hasText: text });
}

export function editor(page: Page): Locator {
  return page.getByTestId('agent-editor');
}

export interface NewAgentInput {
  name: string;
  description?: string;
  instructions?: string;
  model?: string;
}

/** Creates an agent through the editor dialog and waits until it is selected. */
export async function createAgentThroughUi(page: Page, input: NewAgentInput): Promise<void> {
  await page.getByTestId('new-agent').click();
  const dialog = editor(page);
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('agent-name-input').fill(input.name);
  if (input.description !== undefined) await dialog.getByRole('textbox', { name: 'Description' }).fill(input.description);
  if (input.instructions !== undefined) await dialog.getByTestId('agent-instructions-input').fill(input.instructions);
  if (input.model !== undefined) await dialog.getByRole('combobox', { name: 'Model', exact: true }).fill(input.model); // a combobox: it suggests configured models
  await dialog.getByTestId('save-agent').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('agent-name')).toHaveText(input.name);
}

/**
 * Imports a Paddock export file through the sidebar's Import button (it accepts agents and
 * sessions) and waits for the success toast.
 */
export async function importFileThroughUi(page: Page, filePath: string, expectToast: string | RegExp): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('agents-pane').getByRole('button', { name: 'Import', exact: true }).click();
  await (await chooser).setFiles(filePath);
  await expect(toast(page, expectToast)).toBeVisible({ timeout: 120_000 });
}

/** The log tree of the open session, once every node has been loaded. */
export async function waitForLogLoaded(page: Page, entries: number, timeout = 30_000): Promise<Locator> {
  await expect(page.getByTestId('log-count')).toHaveText(`${entries.toLocaleString('en-US')} ${entries === 1 ? 'entry' : 'entries'}`, { timeout });
  const tree = page.getByTestId('log-tree');
  await expect(tree).toBeVisible();
  return tree;
}

export function logRow(page: Page, nodeId: string): Locator {
  return page.locator(`[data-testid="log-row"][data-node-id="${nodeId}"]`);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Presses Tab until `target` has focus (keyboard only; fails after a bounded number of stops). */
export async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('could not reach the element with Tab');
}

/** Looked at by hand: both reference sizes, light and dark (kept with the test's output). */
export async function referenceShots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const [width, height] of [[1024, 700], [1440, 900]] as const) {
    await page.setViewportSize({ width, height });
    for (const theme of ['light', 'dark'] as const) {
      // The theme switch may sit behind an open dialog: set what it sets.
      await page.locator('html').evaluate((el, t) => el.setAttribute('data-theme', t), theme);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.screenshot({ path: testInfo.outputPath(`${name}-${width}-${theme}.png`) });
    }
  }
}
