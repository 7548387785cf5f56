// Another program holds Paddock's database: the UI says so (instead of an error toast), keeps the
// user's change waiting, and saves it once the database is free.
import { join } from 'node:path';
import { holdWriteLock } from '../src/main/db/testing';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, editor, toast } from './support/ui';

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
