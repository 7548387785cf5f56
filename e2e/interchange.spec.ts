// Other tools' histories in, open formats out: "Find histories" lists Claude Code and Codex files
// only when asked and imports the chosen ones; a Claude Code file picked with Import lands under
// its holder agent; "Export as…" writes an AG-UI file with a progress bar. Keyboard only where it
// matters, axe-checked, light and dark.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, importFileThroughUi } from './support/ui';

const FIXTURES = join(process.cwd(), 'src', 'main', 'interchange', 'fixtures');
const CLAUDE_FILE = join(FIXTURES, 'claude-code', 'multi-tool-session.jsonl');
const CODEX_FILE = join(FIXTURES, 'codex', 'rollout-2025-11-21T14-02-10-019a6c2e-7d4b-7a10-b2f3-5c1e9d0a4b77.jsonl');

// The host inherits this process's environment: point "Find histories" at a fake home's folders.
const fakeHome = mkdtempSync(join(tmpdir(), 'paddock-e2e-histories-'));
const claudeProject = join(fakeHome, 'claude', 'projects', '-home-dana-projects-weather-cli');
const codexDay = join(fakeHome, 'codex', 'sessions', '2025', '11', '21');
mkdirSync(claudeProject, { recursive: true });
mkdirSync(codexDay, { recursive: true });
copyFileSync(CLAUDE_FILE, join(claudeProject, '7f3c9a2e-5b1d-4c8e-9f00-2a6b8d4e1c33.jsonl'));
copyFileSync(CODEX_FILE, join(codexDay, 'rollout-2025-11-21T14-02-10-019a6c2e-7d4b-7a10-b2f3-5c1e9d0a4b77.jsonl'));
process.env.CLAUDE_CONFIG_DIR = join(fakeHome, 'claude');
process.env.CODEX_HOME = join(fakeHome, 'codex');

/** With PADDOCK_SCREENSHOTS=1: the dialog as it is now, at both documented sizes, into docs/screenshots. */
async function shoot(page: Page, name: string): Promise<void> {
  if (!process.env.PADDOCK_SCREENSHOTS) return;
  for (const [w, h] of [[1024, 700], [1440, 900]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: join(process.cwd(), 'docs', 'screenshots', `${name}-${w}x${h}.png`) });
  }
}

async function openFirstSession(page: Page, agentName: string): Promise<void> {
  await agentRow(page, agentName).click();
  await page.getByTestId('session-item').first().click();
  await expect(page.getByTestId('session-header')).toBeVisible();
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`histories and exports (${scheme})`, () => {
    test.use({ colorScheme: scheme });
    // Several axe passes and two imports per test: generous on a loaded 2-core machine.
    test.setTimeout(180_000);

    test('Find histories lists files only when asked, then imports the chosen ones', async ({ page }, testInfo) => {
      await page.getByTestId('find-histories').click();
      const dialog = page.getByTestId('find-histories-dialog');
      await expect(dialog).toBeVisible();
      // Nothing is listed before the user asks.
      await expect(dialog.getByTestId('history-table')).toHaveCount(0);
      await expectNoSeriousA11yViolations(page, testInfo, `find histories, before (${scheme})`);
      await dialog.getByTestId('find-histories-search').focus();
      await page.keyboard.press('Enter');
      const table = dialog.getByTestId('history-table');
      await expect(table.getByRole('row')).toHaveCount(3);
      await expectNoSeriousA11yViolations(page, testInfo, `find histories, listed (${scheme})`);
      await shoot(page, `find-histories-${scheme}`);
      await dialog.getByRole('checkbox', { name: /Import 7f3c9a2e/ }).check();
      await dialog.getByRole('checkbox', { name: /Import rollout-2025-11-21/ }).check();
      await dialog.getByTestId('find-histories-import').click();
      const outcomes = dialog.getByTestId('history-outcomes');
      await expect(outcomes.getByRole('listitem')).toHaveCount(2, { timeout: 30_000 });
      await expect(outcomes).toContainText('✓ 7f3c9a2e-5b1d-4c8e-9f00-2a6b8d4e1c33.jsonl');
      await expect(outcomes).toContainText('✓ rollout-2025-11-21T14-02-10');
      await expect(dialog.getByTestId('job-progress')).toHaveAttribute('data-status', 'done');
      await expectNoSeriousA11yViolations(page, testInfo, `find histories, imported (${scheme})`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(agentRow(page, 'Imported from Claude Code')).toBeVisible();
      await expect(agentRow(page, 'Imported from Codex CLI')).toBeVisible();
      await openFirstSession(page, 'Imported from Codex CLI');
      await expect(page.getByTestId('session-header')).toContainText('Add a `done` filter to GET /todos');
    });

    test('a Claude Code file picked with Import, exported as AG-UI with a progress bar', async ({ page, app }, testInfo) => {
      await importFileThroughUi(page, CLAUDE_FILE, /Imported \d+ log entries from “multi-tool-session.jsonl”/);
      await openFirstSession(page, 'Imported from Claude Code');
      await expect(page.getByTestId('session-header')).toContainText('Fix failing forecast parser test');
      await page.getByTestId('export-as').click();
      const dialog = page.getByTestId('export-dialog');
      await expect(dialog).toBeVisible();
      await dialog.getByRole('radio', { name: /AG-UI events/ }).check();
      await expectNoSeriousA11yViolations(page, testInfo, `export dialog (${scheme})`);
      await dialog.getByTestId('export-start').click();
      await expect(dialog.getByTestId('job-progress')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
      await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
      const written = (await dialog.getByTestId('export-result').locator('code').textContent())!;
      expect(written.startsWith(join(app.dataDir, 'exports'))).toBe(true);
      expect(existsSync(written)).toBe(true);
      const types = readFileSync(written, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
      expect(types[0]).toBe('RUN_STARTED');
      expect(types).toContain('SUBAGENT_STARTED');
      await expectNoSeriousA11yViolations(page, testInfo, `export done (${scheme})`);
      await shoot(page, `export-${scheme}`);
    });
  });
}
