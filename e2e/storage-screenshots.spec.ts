// Screenshots of storage care for docs/storage.md (opt-in, because it rewrites committed files):
//   PADDOCK_SCREENSHOTS=1 npx playwright test storage-screenshots --project=browser-host
// The Storage dialog's three tabs and the "Storage needs attention" state, at 1024×700 and
// 1440×900, light and dark.
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { paths } from './support/paths';
import { waitForAppReady } from './support/ui';

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
];

async function shootAll(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(paths.screenshots, `storage-${name}-${size.width}-${scheme}.png`), animations: 'disabled', caret: 'hide' });
    }
  }
}

test('docs screenshots of storage care', async ({ page, app }) => {
  test.skip(!process.env.PADDOCK_SCREENSHOTS, 'set PADDOCK_SCREENSHOTS=1 to refresh docs/screenshots');
  test.skip(app.target !== 'browser-host', 'taken once, from the browser host');
  test.setTimeout(180_000);
  await mkdir(paths.screenshots, { recursive: true });
  const agent = await app.call<{ id: string }>('agents.create', { name: 'Ops investigator' });
  for (const name of ['Why is the nightly job slow?', 'Disk usage report', 'Old experiment']) await app.call('sessions.create', { agentId: agent.id, name });
  const old = await app.call<{ id: string }>('sessions.create', { agentId: agent.id, name: 'Scratch session' });
  await app.call('sessions.remove', { id: old.id });
  await app.call('storage.backupNow');
  await page.reload();
  await waitForAppReady(page);
  await page.getByTestId('open-settings').click();
  await page.getByTestId('open-storage').click();
  await expect(page.getByTestId('storage-health')).toBeVisible();
  await shootAll(page, 'health');
  await page.getByTestId('storage-tab-cleanup').click();
  await page.getByTestId('retention-days').fill('0');
  await page.getByTestId('retention-preview').click();
  await expect(page.getByTestId('retention-summary')).toBeVisible();
  await shootAll(page, 'cleanup');
  await page.getByTestId('storage-tab-backups').click();
  await page.getByTestId('backup-inspect').first().click();
  await expect(page.getByTestId('backup-inside')).toBeVisible();
  await shootAll(page, 'backups');

  // The attention state: the search index forgets an entry behind the app's back.
  const Libsql = createRequire(import.meta.url)('libsql') as new (path: string, opts: { timeout: number }) => { exec(sql: string): void; close(): void };
  const db = new Libsql(join(app.dataDir, 'paddock.db'), { timeout: 10_000 });
  db.exec(`INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, status, content, started_at)
    SELECT 'shot-probe', id, 0, 0, '00000000', 'assistant_message', 'complete', 'needle in the log', strftime('%Y-%m-%dT%H:%M:%fZ') FROM sessions WHERE deleted_at IS NULL LIMIT 1`);
  db.exec(`INSERT INTO log_fts (log_fts, rowid, content, tool_name, tool_args, tool_result) SELECT 'delete', n, content, tool_name, tool_args, tool_result FROM log_nodes WHERE id = 'shot-probe'`);
  db.close();
  const restarted = await app.restart();
  await expect(restarted.getByTestId('storage-attention')).toBeVisible();
  await shootAll(restarted, 'attention');
});
