// Pins, tags and import sources on sessions, keyboard first: pin from the row menu (Shift+F10),
// the header and the palette shortcut; pinned sessions listed first and still first after a
// restart; tags added with suggestions and removed by keyboard, shown on the row and header,
// and filtering the list (several tags narrow it; Clear restores it); an imported session
// marked with its source on the row and in the header. Light and dark, axe-checked.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Agent, Session } from '../src/shared/domain';
import { expect as baseExpect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow } from './support/ui';

// Axe and restarts on a loaded 2-core machine: the generous budget is for load, not for sleeps.
test.beforeEach(() => test.slow());
const expect = baseExpect.configure({ timeout: 30_000 });

const CLAUDE_FILE = join(process.cwd(), 'src', 'main', 'interchange', 'fixtures', 'claude-code', 'multi-tool-session.jsonl');

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

const rowNames = (page: Page) => page.getByTestId('session-item').locator('.session-item-name');
const row = (page: Page, name: string) => page.getByTestId('session-item').filter({ has: page.locator('.session-item-name', { hasText: new RegExp(`^${name}$`) }) });

for (const theme of ['light', 'dark'] as const) {
  test(`pin and tag sessions by keyboard, filter by tags, survive a restart (${theme})`, async ({ page, app }, testInfo) => {
    const agent = await app.call<Agent>('agents.create', { name: 'Triage' });
    for (const name of ['Alpha', 'Bravo', 'Charlie']) await app.call<Session>('sessions.create', { agentId: agent.id, name });
    await page.reload();
    await useTheme(page, theme);
    await agentRow(page, 'Triage').getByRole('button').first().click();
    await expect(rowNames(page)).toHaveText(['Charlie', 'Bravo', 'Alpha']);

    // Row menu by keyboard: focus the oldest row, Shift+F10, "Pin to top".
    const alpha = row(page, 'Alpha').locator('.session-item-main');
    await alpha.click();
    await alpha.press('Shift+F10');
    const menu = page.getByTestId('session-menu');
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem').first()).toBeFocused();
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-row-menu`);
    await page.keyboard.press('Enter');
    await expect(menu).toBeHidden();
    await expect(rowNames(page)).toHaveText(['Alpha', 'Charlie', 'Bravo']);
    await expect(row(page, 'Alpha').getByTestId('session-pinned')).toHaveAccessibleName('Pinned');
    // Focus went back to the row, not to <body>.
    await expect(alpha).toBeFocused();

    // Escape closes the menu and gives focus back too.
    await alpha.press('Shift+F10');
    await expect(menu).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(alpha).toBeFocused();

    // The header's toggle and the palette shortcut: pin Bravo, then unpin it again by Alt+Shift+P.
    await row(page, 'Bravo').locator('.session-item-main').click();
    const pinButton = page.getByTestId('session-pin');
    await expect(pinButton).toHaveAttribute('aria-pressed', 'false');
    await pinButton.click();
    await expect(pinButton).toHaveAttribute('aria-pressed', 'true');
    await expect(rowNames(page)).toHaveText(['Bravo', 'Alpha', 'Charlie']);
    await page.keyboard.press('Alt+Shift+P');
    await expect(pinButton).toHaveAttribute('aria-pressed', 'false');
    await expect(rowNames(page)).toHaveText(['Alpha', 'Charlie', 'Bravo']);

    // Tags from the header (Alt+Shift+T), typed; a bad one is refused in place.
    await page.keyboard.press('Alt+Shift+T');
    const dialog = page.getByTestId('tag-dialog');
    await expect(dialog).toBeVisible();
    const input = dialog.getByRole('combobox', { name: 'Add a tag' });
    await expect(input).toBeFocused();
    await input.fill('two words');
    await input.press('Enter');
    await expect(dialog.getByTestId('tag-error')).toContainText('letters and digits');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await input.fill('Bug');
    await input.press('Enter');
    await expect(dialog.getByRole('listitem')).toHaveText(['#bug×']);
    await input.fill('ui');
    await input.press('Enter');
    await expect(dialog.getByRole('listitem')).toHaveCount(2);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-tag-dialog`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('session-header-tags')).toContainText('#bug');
    await expect(row(page, 'Bravo').getByTestId('session-tags')).toHaveAccessibleName('Tags: bug, ui');

    // Tags from the row menu on Charlie: the field suggests the tags in use.
    await row(page, 'Charlie').locator('.session-item-main').press('Shift+F10');
    await page.getByTestId('session-menu-tags').click();
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('datalist option')).toHaveCount(2);
    await expect(dialog.locator('datalist option').first()).toHaveAttribute('value', 'bug');
    await input.fill('bug');
    await input.press('Enter');
    await expect(dialog.getByRole('listitem')).toHaveText(['#bug×']);
    await page.getByTestId('tag-dialog-done').click();
    await expect(dialog).toBeHidden();

    // Filter: one tag, then two (both must be present), then a chip removed, then Clear.
    const filter = page.getByTestId('tag-filter-input');
    await filter.fill('bug');
    await filter.press('Enter');
    await expect(rowNames(page)).toHaveText(['Charlie', 'Bravo']);
    await filter.fill('ui');
    await filter.press('Enter');
    await expect(rowNames(page)).toHaveText(['Bravo']);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-tag-filter`);
    await page.getByRole('button', { name: 'Stop filtering by ui' }).click();
    await expect(rowNames(page)).toHaveText(['Charlie', 'Bravo']);
    // Removing the tag from a listed session drops it from the filtered list.
    await row(page, 'Charlie').locator('.session-item-main').press('Shift+F10');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('session-menu-tags')).toBeFocused();
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Remove tag bug' }).press('Enter');
    await expect(dialog.getByTestId('tag-input')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(rowNames(page)).toHaveText(['Bravo']);
    await page.getByTestId('tag-filter-clear').click();
    await expect(rowNames(page)).toHaveText(['Alpha', 'Charlie', 'Bravo']);

    // Everything is in the database: the same after a restart.
    const restarted = await app.restart();
    await agentRow(restarted, 'Triage').getByRole('button').first().click();
    await expect(rowNames(restarted)).toHaveText(['Alpha', 'Charlie', 'Bravo']);
    await expect(row(restarted, 'Alpha').getByTestId('session-pinned')).toBeVisible();
    await expect(row(restarted, 'Bravo').getByTestId('session-tags')).toHaveAccessibleName('Tags: bug, ui');
  });
}

test('an imported session is marked with its source on the row and in the header', async ({ page, app }, testInfo) => {
  const result = await app.call<{ sessionId: string; agentId: string }>('interchange.importFile', { jobId: 'marks-import', path: CLAUDE_FILE });
  const agent = await app.call<Agent>('agents.get', { id: result.agentId });
  await app.call<Session>('sessions.create', { agentId: agent.id, name: 'Run here' });
  await page.reload();
  await agentRow(page, agent.name).getByRole('button').first().click();
  const imported = page.locator(`[data-testid="session-item"][data-session-id="${result.sessionId}"]`);
  await expect(imported.getByTestId('session-source')).toHaveAccessibleName('Imported from Claude Code');
  await expect(imported.getByTestId('session-source')).toHaveAttribute('title', 'Imported from Claude Code');
  await expect(row(page, 'Run here').getByTestId('session-source')).toHaveCount(0);
  await imported.locator('.session-item-main').click();
  await expect(page.getByTestId('session-header').getByTestId('session-source')).toHaveText('Claude Code');
  for (const theme of ['light', 'dark'] as const) {
    await useTheme(page, theme);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-source-marker`);
  }
});

test('deleting from the row menu never chains: Enter twice deletes one session, Undo brings it back', async ({ page, app }) => {
  const agent = await app.call<Agent>('agents.create', { name: 'Cleaner' });
  for (const name of ['One', 'Two', 'Three']) await app.call<Session>('sessions.create', { agentId: agent.id, name });
  await page.reload();
  await agentRow(page, 'Cleaner').getByRole('button').first().click();
  const two = row(page, 'Two').locator('.session-item-main');
  await two.click();
  await two.press('Shift+F10');
  await page.keyboard.press('End');
  await expect(page.getByTestId('session-menu-delete')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(rowNames(page)).toHaveText(['Three', 'One']);
  // Focus is on a row, not on a Delete control: a second Enter opens that row, it deletes nothing.
  await expect(page.locator('[data-testid="session-list"] [data-roving][tabindex="0"]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(rowNames(page)).toHaveText(['Three', 'One']);
  await page.getByTestId('toast').filter({ hasText: 'Session deleted' }).getByRole('button', { name: 'Undo' }).click();
  await expect(rowNames(page)).toHaveText(['Three', 'Two', 'One']);
});
