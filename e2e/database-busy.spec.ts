// Another program holds Paddock's database: the UI says so (instead of an error toast), keeps the
// user's change waiting, and saves it once the database is free.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, editor, toast } from './support/ui';

/** A process that takes the database's write lock and lets go when told (a line on stdin). */
async function holdWriteLock(dbPath: string): Promise<{ child: ChildProcess; release: () => Promise<void> }> {
  const driver = createRequire(import.meta.url).resolve('libsql');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require(${JSON.stringify(driver)});
       const db = new Database(${JSON.stringify(dbPath)});
       db.exec('BEGIN IMMEDIATE');
       db.exec('CREATE TABLE IF NOT EXISTS other_program (x)');
       process.stdout.write('locked\\n');
       process.stdin.once('data', () => { db.exec('COMMIT'); process.stdout.write('released\\n'); process.exit(0); });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes(word)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before saying '${word}'`)));
    });
  await said('locked');
  return {
    child,
    release: async () => {
      const released = said('released');
      child.stdin!.write('go\n');
      await released;
    },
  };
}

test('a change made while another program holds the database waits under a banner and is saved once it is free', async ({ page, app }, testInfo) => {
  const lock = await holdWriteLock(join(app.dataDir, 'paddock.db'));
  try {
    await page.getByTestId('new-agent').click();
    const dialog = editor(page);
    await dialog.getByTestId('agent-name-input').fill('Patient agent');
    await dialog.getByTestId('save-agent').press('Enter');

    // Main answers BUSY after its 5 s busy timeout; the renderer then retries under a banner.
    const banner = page.getByTestId('database-busy-banner');
    await expect(banner).toBeVisible({ timeout: 20_000 });
    await expect(banner).toContainText('another program is holding it');
    await expect(page.getByRole('status').filter({ has: banner })).toHaveCount(1);
    await expectNoSeriousA11yViolations(page, testInfo, 'database-busy');
    await expect(agentRow(page, 'Patient agent')).toHaveCount(0);
  } finally {
    await lock.release();
  }

  await expect(page.getByTestId('database-busy-banner')).toBeHidden({ timeout: 20_000 });
  await expect(toast(page, 'Agent “Patient agent” created')).toBeVisible();
  await expect(agentRow(page, 'Patient agent')).toHaveCount(1);
});
