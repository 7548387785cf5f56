// Screenshots of everyday use at three window sizes, light and dark (docs/screenshots/ux-*.png):
// a live session waiting for an approval, the model picker, the command palette, the starter
// gallery. Opt-in, because it rewrites committed files:
//   PADDOCK_SCREENSHOTS=1 npx playwright test ux-screenshots --project=browser-host
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '../src/shared/domain';
import { startProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect, test } from './fixtures';
import { paths } from './support/paths';
import { REVIEW_TURN, SCREENSHOT_SIZES, seedShowcaseAgents } from './support/screenshots';
import { agentRow, editor } from './support/ui';


test('ux screenshots at three sizes, light and dark', async ({ page, app }) => {
  test.skip(!process.env.PADDOCK_SCREENSHOTS, 'set PADDOCK_SCREENSHOTS=1 to refresh docs/screenshots');
  test.skip(app.target !== 'browser-host', 'taken once, from the browser host');
  test.setTimeout(300_000);
  await mkdir(paths.screenshots, { recursive: true });
  const server = await startProviderServer({ apiKey: 'sk-shots', models: ['gpt-4.1-mini'] });
  try {
    const agent = await seedShowcaseAgents(app, server);
    await app.call<Session>('sessions.create', { agentId: agent.id, name: 'Flaky test triage', goal: 'Find out why the login test fails one run in ten' });
    const session = await app.call<Session>('sessions.create', { agentId: agent.id });
    server.push(REVIEW_TURN);
    await page.reload();
    await agentRow(page, 'Code reviewer').getByRole('button').first().click();
    await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
    await app.call('sessions.start', { sessionId: session.id, message: 'Review the last commit and write your findings to review.md' });
    await expect(page.getByTestId('approval-card')).toBeVisible();
    await expect(page.getByTestId('session-title')).toHaveText('Review the last commit and write your findings to review.md');

    for (const size of SCREENSHOT_SIZES) {
      await page.setViewportSize(size);
      for (const theme of ['light', 'dark'] as const) {
        await page.getByTestId(`theme-${theme}`).click();
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await page.mouse.move(0, 0);
        await page.screenshot({ path: join(paths.screenshots, `ux-session-${size.width}x${size.height}-${theme}.png`), animations: 'disabled', caret: 'hide' });
      }
    }

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('theme-light').click();
    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('command-palette')).toBeVisible();
    await page.screenshot({ path: join(paths.screenshots, 'ux-palette-light.png'), animations: 'disabled', caret: 'hide' });
    await page.keyboard.press('Escape');

    await page.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
    await expect(editor(page)).toBeVisible();
    const model = editor(page).getByRole('combobox', { name: 'Model', exact: true });
    await model.scrollIntoViewIfNeeded();
    await model.fill('');
    await model.press('ArrowDown');
    await expect(page.getByTestId('model-option').first()).toBeVisible();
    await page.screenshot({ path: join(paths.screenshots, 'ux-model-picker-light.png'), animations: 'disabled', caret: 'hide' });
    await model.press('Escape');
    await editor(page).getByRole('button', { name: 'Cancel' }).click();
    const discard = page.getByTestId('confirm-dialog');
    if (await discard.isVisible()) await discard.getByTestId('confirm-ok').click();

    await page.getByTestId('theme-dark').click();
    await page.getByTestId('open-starters').click();
    await expect(page.getByTestId('starter-gallery')).toBeVisible();
    await page.screenshot({ path: join(paths.screenshots, 'ux-starters-dark.png'), animations: 'disabled', caret: 'hide' });
    await page.keyboard.press('Escape');

    await page.setViewportSize({ width: 1024, height: 700 });
    await page.keyboard.press('Alt+1');
    await page.screenshot({ path: join(paths.screenshots, 'ux-folded-1024x700-dark.png'), animations: 'disabled', caret: 'hide' });
    await page.keyboard.press('Alt+1');
  } finally {
    await server.close();
  }
});
