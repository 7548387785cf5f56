// Approval rules and budgets in the browser host against the provider test server (the
// OpenAI-compatible wire protocol): an "Always…" approval creates a visible rule that the next
// call obeys and the agent editor lists and tests; a session budget stops a run at exactly the
// call that would cross it.
import type { Page } from '@playwright/test';
import type { Agent, Page as ResultPage, Session } from '../src/shared/domain';
import type { Provider } from '../src/shared/ipc/channels/providers';
import type { ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, referenceShots } from './support/ui';
import { eachTestProviderServer, eachTestWorkDir } from './support/setup';

async function send(page: Page, message: string) {
  const input = page.getByTestId('composer-input');
  await input.fill(message);
  await input.press('Enter');
  await expect(input).toHaveValue('');
}

test.describe('rules and budgets', () => {
  // Runs against a real model loop on a loaded machine: give the runs room, wait on what they show.
  test.describe.configure({ timeout: 300_000 });
  let server: ProviderServer;
  let work: string;
  eachTestProviderServer({ models: ['test-model'] }, (s) => (server = s));
  eachTestWorkDir('paddock-e2e-controls-', (dir) => (work = dir));

  async function agentWithSession(page: Page, app: { call<T>(c: string, i?: unknown): Promise<T> }, config: Record<string, unknown>) {
    const provider = await app.call<Provider>('providers.save', { name: 'Local', kind: 'openai-compatible', baseURL: server.baseURL, models: [{ id: 'test-model' }] });
    const agent = await app.call<Agent>('agents.create', { name: 'Guarded', model: `${provider.id}:test-model`, accessiblePaths: [work], ...config });
    await page.reload();
    await agentRow(page, 'Guarded').getByRole('button').first().click();
    await page.getByTestId('new-session').click();
    await expect(page.getByTestId('composer')).toBeVisible();
    const sessions = await app.call<ResultPage<Session>>('sessions.list', { agentId: agent.id });
    return { agent, sessionId: sessions.items[0]!.id };
  }

  test('"Always for this agent…" on the approval card creates an editable rule the next call obeys', async ({ page, app }, testInfo) => {
    await agentWithSession(page, app, { builtinTools: ['run_shell'], permissionMode: 'ask' });
    server.push(
      { parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'ls -la' }, id: 'c1' }] },
      { parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'ls' }, id: 'c2' }] },
      { parts: [{ type: 'text', text: 'Listed twice.' }] },
    );
    await send(page, 'List the folder');
    const card = page.getByTestId('approval-card');
    await expect(card).toBeVisible();
    await card.getByTestId('approve-agent').click();
    const form = card.getByTestId('always-form');
    await expect(form.getByTestId('always-pattern')).toHaveValue('ls*');
    await expect(form.getByTestId('always-scope')).toHaveValue('agent');
    await expectNoSeriousA11yViolations(page, testInfo, 'always-allow form');
    await form.getByTestId('always-confirm').click();
    // The second `ls` runs without asking: the rule allowed it.
    await expect(page.getByTestId('log-row').filter({ hasText: 'Listed twice.' }).first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('approval-card')).toHaveCount(0);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(3);

    // The rule is listed in the agent editor, editable, and the tester agrees with the run.
    await page.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByTestId('agent-editor');
    await editor.getByTestId('editor-tab-controls').click();
    const row = editor.getByTestId('rule-row');
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('rule-pattern')).toHaveText('ls*');
    await expect(row).toContainText('from an approval');
    await editor.getByTestId('rule-test-input').fill('ls /tmp');
    await editor.getByTestId('rule-test').click();
    await expect(editor.getByTestId('rule-verdict')).toContainText('Runs');
    await editor.getByTestId('rule-test-input').fill('ls; rm -rf x');
    await editor.getByTestId('rule-test').click();
    await expect(editor.getByTestId('rule-verdict')).toContainText('Asks you');
    await expectNoSeriousA11yViolations(page, testInfo, 'rules, budgets and schedule tab');
    await referenceShots(page, testInfo, 'controls-tab');
  });

  test('a session budget stops the run at the call that would cross it, keeping what was done', async ({ page, app }, testInfo) => {
    const { sessionId } = await agentWithSession(page, app, { builtinTools: ['list_directory'], permissionMode: 'ask', settings: { maxOutputTokens: 200 } });
    await app.call('budgets.save', { scope: 'session', targetId: sessionId, maxTokens: 2600, maxUsd: null });
    // A roomy monthly budget for all agents: never the one that stops, shown in the usage view.
    await app.call('budgets.save', { scope: 'global', targetId: null, maxTokens: 1_000_000, maxUsd: null });
    const toolTurn = (id: string) => ({ parts: [{ type: 'tool_call' as const, name: 'list_directory', args: { path: '.' }, id }], usage: { input: 1000, output: 200 } });
    server.push(toolTurn('c1'), toolTurn('c2'), { parts: [{ type: 'text', text: 'never sent' }] });
    await send(page, 'Look around');
    await expect(page.getByTestId('log-row').filter({ hasText: 'Budget reached' }).first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('session-status').first()).toContainText('Budget reached');
    const stopped = await app.call<Session>('sessions.get', { id: sessionId });
    expect(stopped.status).toBe('budget_reached');
    // The session list's status filter offers the new status and finds this session by it.
    await page.getByTestId('session-status-filter').selectOption('budget_reached');
    await expect(page.getByTestId('session-item')).toHaveCount(1);
    await expect(page.getByTestId('session-item')).toHaveAttribute('data-status', 'budget_reached');
    await page.getByTestId('session-status-filter').selectOption('');
    await expect(page.getByTestId('session-resume')).toBeVisible();
    await expect(page.getByTestId('budget-badge')).toContainText('Budget reached');
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    const session = await app.call<Session>('sessions.get', { id: sessionId });
    expect(session.tokensIn + session.tokensOut).toBe(2400);
    await page.getByTestId('session-budget').locator('summary').click();
    await referenceShots(page, testInfo, 'budget-reached');

    // The usage view shows what is used and left of the budget for all agents.
    await page.keyboard.press('Escape');
    await page.getByTestId('usage-open').click();
    const usage = page.getByTestId('usage-dialog');
    await expect(usage.getByTestId('usage-budgets').getByTestId('budget-meter')).toContainText('2,400 / 1M tokens');
    await expectNoSeriousA11yViolations(page, testInfo, 'usage view with a budget');
    await referenceShots(page, testInfo, 'usage-budgets');
  });
});
