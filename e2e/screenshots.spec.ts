// Refreshes the screenshots in docs/screenshots (used by the README). Opt-in, because it
// rewrites committed files:  PADDOCK_SCREENSHOTS=1 npx playwright test screenshots --project=browser-host
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Agent, Session } from '../src/shared/domain';
import { expect, test } from './fixtures';
import { importGeneratedSession } from './support/sessions';
import { agentRow, editor, logRow, waitForAppReady } from './support/ui';
import { paths } from './support/paths';

test.use({ viewport: { width: 1440, height: 900 } });

test('docs screenshots of the main views', async ({ page, app }, testInfo) => {
  test.skip(!process.env.PADDOCK_SCREENSHOTS, 'set PADDOCK_SCREENSHOTS=1 to refresh docs/screenshots');
  test.skip(app.target !== 'browser-host', 'taken once, from the browser host');
  test.setTimeout(120_000);
  await mkdir(paths.screenshots, { recursive: true });
  const shot = (name: string) => page.screenshot({ path: join(paths.screenshots, name), animations: 'disabled', caret: 'hide' });

  // Sample data: a few agents, and one investigated session with a deep log.
  const samples = [
    { name: 'Code reviewer', description: 'Reviews pull requests; flags risky changes first.', model: 'gpt-4.1-mini', type: 'reviewer', builtinTools: ['read_file', 'search_code'] },
    { name: 'Release notes writer', description: 'Turns merged PRs into release notes.', model: 'claude-sonnet-4', type: 'assistant' },
    { name: 'Dependency updater', description: 'Weekly dependency bumps, one PR per package.', model: 'gpt-4.1', type: 'automation', schedule: '0 6 * * 1' },
  ];
  for (const sample of samples) await app.call<Agent>('agents.create', sample);
  await page.reload();
  await waitForAppReady(page);

  const { data, landmarks } = await importGeneratedSession(page, testInfo, {
    nodes: 300,
    maxDepth: 6,
    seed: 7,
    sessionName: 'Why is the nightly job slow?',
    agentName: 'Ops investigator',
  });
  for (const name of ['Flaky test triage', 'Disk usage report']) {
    await app.call<Session>('sessions.create', { agentId: data.session.agentId, name });
  }
  await page.reload();
  await waitForAppReady(page);
  await agentRow(page, 'Ops investigator').getByRole('button').first().click();
  await expect(page.getByTestId('session-item')).toHaveCount(3);

  // The agents list with the selected agent's sessions.
  await page.getByTestId('theme-light').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shot('agents.png');

  // The session view, light and dark, with a tool call selected.
  await page.getByTestId('session-item').filter({ hasText: data.session.name }).getByRole('button').first().click();
  await expect(page.getByTestId('log-count')).toHaveText('300 entries');
  await logRow(page, landmarks.byKind.action!.id).click();
  await shot('session-light.png');
  await page.getByTestId('theme-dark').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot('session-dark.png');

  // The agent editor.
  await page.getByTestId('theme-light').click();
  await agentRow(page, 'Code reviewer').getByRole('button').first().click();
  await page.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(editor(page)).toBeVisible();
  await editor(page).getByTestId('agent-instructions-input').fill('You review diffs for correctness first, then style.\nPoint at the exact line and suggest a fix.');
  await shot('editor.png');
});
