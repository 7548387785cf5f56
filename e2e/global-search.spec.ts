// Search across sessions: two imported sessions (each under its own agent) share a word; the
// dialog groups the hits by session, and opening a hit in the other session selects its agent
// and session and reveals + focuses the node in the tree. Plus axe on the open dialog.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { importGeneratedSession, type ImportedSession } from './support/sessions';
import { logRow } from './support/ui';

const FIRST = { nodes: 120, maxDepth: 5, seed: 11, sessionName: 'Alpha investigation', agentName: 'Alpha agent' };
const SECOND = { nodes: 300, maxDepth: 6, seed: 7, sessionName: 'Beta investigation', agentName: 'Beta agent' };
/** The generator plants "Deepest result: … nightly job." once per session, at its deepest node. */
const QUERY = 'deepest nightly';

async function importBoth(page: Page, testInfo: Parameters<typeof importGeneratedSession>[1]): Promise<[ImportedSession, ImportedSession]> {
  const first = await importGeneratedSession(page, testInfo, FIRST);
  const second = await importGeneratedSession(page, testInfo, SECOND);
  return [first, second];
}

function dialog(page: Page) {
  return page.getByRole('dialog', { name: 'Search all sessions' });
}

async function searchAll(page: Page, query: string) {
  const input = dialog(page).getByRole('combobox', { name: 'Search all sessions' });
  await input.fill(query);
  return input;
}

test.describe('search across sessions', () => {
  test('groups hits by session and opens a hit in another session', async ({ page }, testInfo) => {
    const [first] = await importBoth(page, testInfo);
    // The second import is open; the hit to open lives in the first session.
    await expect(page.getByTestId('session-title')).toHaveText(SECOND.sessionName);

    await page.getByTestId('open-global-search').click();
    await expect(dialog(page)).toBeVisible();
    await expect(page.getByTestId('global-search-empty')).toBeVisible();
    const input = dialog(page).getByRole('combobox', { name: 'Search all sessions' });
    await expect(input).toBeFocused();

    await searchAll(page, 'qqxyzzynothing');
    await expect(page.getByTestId('global-search-no-results')).toBeVisible();

    await searchAll(page, QUERY);
    const groups = dialog(page).getByRole('group');
    await expect(groups).toHaveCount(2);
    await expect(page.getByTestId('global-search-summary')).toHaveText('2 matches in 2 sessions');
    const alpha = groups.filter({ hasText: FIRST.sessionName });
    const beta = groups.filter({ hasText: SECOND.sessionName });
    await expect(alpha).toContainText(FIRST.agentName);
    await expect(beta).toContainText(SECOND.agentName);
    const alphaHit = alpha.getByRole('option');
    await expect(alphaHit).toHaveCount(1);
    await expect(beta.getByRole('option')).toHaveCount(1);
    await expect(alphaHit).toHaveAttribute('data-node-id', first.landmarks.needleNodeId);
    // Snippet matches are real <mark> elements, the rest plain text.
    await expect(alphaHit.locator('mark').first()).toHaveText(/^deepest$/i);
    await expect(alphaHit).toContainText('Tool result');

    // Keyboard: the first option starts selected; move to the Alpha hit, then Enter.
    const options = dialog(page).getByRole('option');
    await expect(options.first()).toHaveAttribute('aria-selected', 'true');
    const alphaIndex = (await options.evaluateAll((els, id) => els.findIndex((el) => el.getAttribute('data-node-id') === id), first.landmarks.needleNodeId)) as number;
    expect(alphaIndex).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < alphaIndex; i++) await input.press('ArrowDown');
    await expect(alphaHit).toHaveAttribute('aria-selected', 'true');
    await expect(input).toHaveAttribute('aria-activedescendant', (await alphaHit.getAttribute('id'))!);
    await input.press('Enter');

    await expect(dialog(page)).toBeHidden();
    await expect(page.getByTestId('session-title')).toHaveText(FIRST.sessionName);
    await expect(page.getByTestId('agent-name')).toHaveText(FIRST.agentName);
    const row = logRow(page, first.landmarks.needleNodeId);
    await expect(row).toBeVisible();
    await expect(row).toBeFocused();
    await expect(row).toHaveAttribute('aria-level', String(FIRST.maxDepth + 1));

    // The shortcut reopens it with the last query; Escape closes it.
    await page.keyboard.press('Control+Shift+F');
    await expect(dialog(page)).toBeVisible();
    await expect(dialog(page).getByRole('option')).toHaveCount(2);
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toBeHidden();
  });

  test('a hit in the open session reveals and focuses its node there', async ({ page }, testInfo) => {
    const [, second] = await importBoth(page, testInfo);
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await expect(logRow(page, second.landmarks.needleNodeId)).toHaveCount(0);
    await page.keyboard.press('Control+Shift+F');
    await searchAll(page, QUERY);
    const betaHit = dialog(page).getByRole('group').filter({ hasText: SECOND.sessionName }).getByRole('option');
    await betaHit.click();
    await expect(dialog(page)).toBeHidden();
    await expect(logRow(page, second.landmarks.needleNodeId)).toBeFocused();
  });

  test('shows a page at a time and narrows by agent and kind of entry', async ({ page }, testInfo) => {
    await importBoth(page, testInfo);
    await page.keyboard.press('Control+Shift+F');
    // Every tool call says "Calling …": 126 hits in the two sessions, 50 a page.
    await searchAll(page, 'calling');
    const options = dialog(page).getByRole('listbox').getByRole('option');
    await expect(options).toHaveCount(50);
    await expect(page.getByTestId('global-search-summary')).toHaveText(/^50\+ matches in [12] sessions?$/);
    await dialog(page).getByRole('button', { name: 'Show more matches' }).click();
    await expect(options).toHaveCount(100);
    await dialog(page).getByRole('button', { name: 'Show more matches' }).click();
    await expect(options).toHaveCount(126);
    await expect(dialog(page).getByRole('button', { name: 'Show more matches' })).toHaveCount(0);

    await dialog(page).getByRole('button', { name: 'Filters' }).click();
    await dialog(page).getByLabel('Agent', { exact: true }).selectOption({ label: SECOND.agentName });
    await expect(options).toHaveCount(50);
    await dialog(page).getByRole('button', { name: 'Show more matches' }).click();
    await expect(options).toHaveCount(93);
    await expect(dialog(page).getByTestId('global-search-group')).toHaveCount(1);
    await expect(dialog(page).getByRole('button', { name: 'Filters (1)' })).toHaveAttribute('aria-expanded', 'true');
    await expect(dialog(page).getByTestId('global-search-group')).toContainText(SECOND.sessionName);
    await dialog(page).getByLabel('Agent', { exact: true }).selectOption({ label: 'All agents' });
    await dialog(page).getByLabel('Entry', { exact: true }).selectOption({ label: 'Tool result' });
    await expect(page.getByTestId('global-search-no-results')).toBeVisible();
    await dialog(page).getByLabel('Entry', { exact: true }).selectOption({ label: 'Tool call' });
    await expect(options).toHaveCount(50);
    await expect(options.filter({ hasNotText: 'Tool call' })).toHaveCount(0);
    if (process.env.H18_SCREENSHOTS) await dialog(page).screenshot({ path: `${process.env.H18_SCREENSHOTS}/global-search-filters.png` });
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the dialog with results has no serious accessibility violations (${theme} theme)`, async ({ page }, testInfo) => {
      await page.getByTestId(`theme-${theme}`).click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await importBoth(page, testInfo);
      await page.getByTestId('open-global-search').click();
      await searchAll(page, QUERY);
      await expect(dialog(page).getByRole('option')).toHaveCount(2);
      await expectNoSeriousA11yViolations(page, testInfo, `${theme}-global-search`);
      if (process.env.H18_SCREENSHOTS) await dialog(page).screenshot({ path: `${process.env.H18_SCREENSHOTS}/global-search-${theme}.png` });
    });
  }
});
