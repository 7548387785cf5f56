// Storage care through the UI: a database damaged behind the app's back opens in the labelled
// "Storage needs attention" state (sidebar still full) and is repaired from the keyboard; a
// backup is made, looked inside and restored across a restart; a retention rule is previewed and
// applied to the trash. axe runs on each state.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow } from './support/ui';

interface Seeded {
  agentId: string;
  sessionId: string;
}

async function seed(call: <T>(channel: string, input?: unknown) => Promise<T>, agentName: string, sessionName: string): Promise<Seeded> {
  const agent = await call<{ id: string }>('agents.create', { name: agentName });
  const session = await call<{ id: string }>('sessions.create', { agentId: agent.id, name: sessionName });
  return { agentId: agent.id, sessionId: session.id };
}

async function openStorage(page: Page): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('open-storage').click();
  await expect(page.getByTestId('storage-dialog')).toBeVisible();
}

/** Another program writes to the database (the host keeps running; the damage shows at the next launch). */
function damage(dataDir: string, statements: string[]): void {
  const Libsql = createRequire(import.meta.url)('libsql') as new (path: string, opts: { timeout: number }) => { exec(sql: string): void; close(): void };
  const db = new Libsql(join(dataDir, 'paddock.db'), { timeout: 10_000 });
  try {
    for (const sql of statements) db.exec(sql);
  } finally {
    db.close();
  }
}

test.describe('storage care', () => {
  test('a damaged database opens in the "Storage needs attention" state and is repaired from the keyboard', async ({ app, page }, testInfo) => {
    const { sessionId } = await seed(app.call, 'Careful agent', 'Indexed session');
    // Behind the app's back: the search index forgets the newest log entry.
    damage(app.dataDir, [
      `INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, status, content, started_at)
         VALUES ('damage-probe', '${sessionId}', 0, 0, '00000000', 'assistant_message', 'complete', 'haystack needle', strftime('%Y-%m-%dT%H:%M:%fZ'))`,
      `INSERT INTO log_fts (log_fts, rowid, content, tool_name, tool_args, tool_result)
         SELECT 'delete', n, content, tool_name, tool_args, tool_result FROM log_nodes WHERE id = 'damage-probe'`,
    ]);
    await app.restart();

    const attention = page.getByTestId('storage-attention');
    await expect(attention).toBeVisible();
    await expect(attention.getByRole('heading', { name: 'Storage needs attention' })).toBeVisible();
    await expect(attention).toContainText('search index');
    // Never an empty sidebar over data that is still there.
    await expect(agentRow(page, 'Careful agent')).toBeVisible();
    await expectNoSeriousA11yViolations(page, testInfo, 'storage-attention');

    // Keyboard only: focus the repair and press Enter.
    const rebuild = attention.getByTestId('repair-rebuild_index');
    await rebuild.focus();
    await expect(rebuild).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(attention).toBeHidden({ timeout: 30_000 });
    const health = await app.call<{ state: string; problems: unknown[] }>('storage.health');
    expect(health).toMatchObject({ state: 'ok', problems: [] });
  });

  test('back up now, look inside, restore across a restart', async ({ app, page }, testInfo) => {
    await seed(app.call, 'Archivist', 'Before the backup');
    await page.reload();
    await openStorage(page);
    await page.getByTestId('storage-tab-backups').click();
    await expect(page.getByTestId('backups-empty')).toBeVisible();
    await page.getByTestId('backup-now').click();
    const row = page.getByTestId('backup-row');
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('backup-verified')).toHaveText('Verified');
    await row.getByTestId('backup-inspect').click();
    await expect(page.getByTestId('backup-inside')).toContainText('Before the backup');
    await expect(page.getByTestId('backup-inside')).toContainText('1 agent, 1 session');
    await expectNoSeriousA11yViolations(page, testInfo, 'storage-backups');

    const { agentId } = await seed(app.call, 'Made later', 'After the backup');
    expect(agentId).toBeTruthy();
    await row.getByTestId('backup-restore').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Restore' }).click();
    await expect(page.getByTestId('restore-pending')).toBeVisible();
    await expect(page.getByTestId('backup-row')).toHaveCount(2); // the safety backup of the current state

    await app.restart();
    await expect(agentRow(page, 'Archivist')).toBeVisible();
    await expect(agentRow(page, 'Made later')).toHaveCount(0);
  });

  test('a retention rule shows what it would delete before deleting the trash', async ({ app, page }, testInfo) => {
    const kept = await seed(app.call, 'Tidy agent', 'Kept session');
    const trashed = await app.call<{ id: string }>('sessions.create', { agentId: kept.agentId, name: 'Old trashed session' });
    await app.call('sessions.remove', { id: trashed.id });
    await page.reload();
    await openStorage(page);
    await page.getByTestId('storage-tab-cleanup').click();
    await page.getByTestId('retention-state').selectOption('trashed');
    await page.getByTestId('retention-days').fill('0');
    await page.getByTestId('retention-preview').click();
    await expect(page.getByTestId('retention-summary')).toHaveText(/^1 session, 0 log entries/);
    await expect(page.getByTestId('retention-result')).toContainText('Old trashed session');
    await expectNoSeriousA11yViolations(page, testInfo, 'storage-cleanup');
    await page.getByTestId('retention-run').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByTestId('retention-result')).toBeHidden();
    const left = await app.call<{ items: { name: string }[] }>('sessions.list', { deleted: 'include' });
    expect(left.items.map((s) => s.name)).toEqual(['Kept session']);
  });
});
