// axe-core on each main view, in the light and the dark theme: the empty state, the session
// view with its log tree, the agent editor, the trash and the agents list. No serious or
// critical WCAG A/AA violation is allowed.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations, seriousA11yViolations } from './support/a11y';
import { importGeneratedSession } from './support/sessions';
import { createAgentThroughUi, editor, toast } from './support/ui';

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.getByTestId(`theme-${theme}`)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

for (const theme of ['light', 'dark'] as const) {
  test(`main views have no serious accessibility violations (${theme} theme)`, async ({ page }, testInfo) => {
    await useTheme(page, theme);

    await expect(page.getByTestId('agents-empty')).toBeVisible();
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-empty-state`);

    await importGeneratedSession(page, testInfo);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-session-view`);

    await page.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
    await expect(editor(page)).toBeVisible();
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-agent-editor`);
    await editor(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(editor(page)).toBeHidden();

    await createAgentThroughUi(page, { name: 'Agent for the trash', description: 'Deleted to fill the trash view.' });
    await page.getByTestId('agent-header').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(toast(page, 'moved to trash')).toBeVisible();
    await page.getByTestId('trash-tab').click();
    await expect(page.getByTestId('agent-list')).toContainText('Agent for the trash');
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-trash`);

    await page.getByRole('button', { name: 'Agents', exact: true }).click();
    await expect(page.getByTestId('agent-item')).toHaveCount(1);
    await createAgentThroughUi(page, { name: 'Second agent', description: 'So the list has more than one row.' });
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-agents-list`);
  });
}

test('the accessibility check catches a real violation', async ({ page }, testInfo) => {
  // Guards the guard: a clean page passes, the same page with an unnamed button does not.
  expect(await seriousA11yViolations(page, testInfo, 'clean')).toEqual([]);
  await page.getByTestId('new-agent').evaluate((button) => {
    const clone = button.cloneNode(false) as typeof button;
    clone.removeAttribute('data-testid');
    button.after(clone);
  });
  const found = await seriousA11yViolations(page, testInfo, 'injected');
  expect(found.join('\n')).toContain('button-name');
});
