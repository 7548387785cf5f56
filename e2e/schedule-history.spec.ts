// An agent's scheduled-run history in the browser host, against the provider test server: with the
// agent editor open (no reload), resuming a per-second schedule makes a run whose row appears
// while it runs and turns "Completed" when it ends (pushed by `schedules.history`, not polled);
// the row's "Open" opens the run's session.
import type { Agent } from '../src/shared/domain';
import type { Provider } from '../src/shared/ipc/channels/providers';
import type { ScheduleRun } from '../src/shared/ipc/channels/schedules';
import type { ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, referenceShots } from './support/ui';
import { eachTestProviderServer } from './support/setup';

test.describe('scheduled run history', () => {
  test.describe.configure({ timeout: 240_000 });
  let server: ProviderServer;
  eachTestProviderServer({ models: ['test-model'] }, (s) => (server = s));

  test('a run appears in the open history while it runs, turns Completed when it ends, and Open opens its session', async ({ page, app }, testInfo) => {
    const provider = await app.call<Provider>('providers.save', { name: 'Local', kind: 'openai-compatible', baseURL: server.baseURL, models: [{ id: 'test-model' }] });
    const agent = await app.call<Agent>('agents.create', { name: 'Ticker', model: `${provider.id}:test-model` });
    // Paused before it has a schedule, so nothing runs until the user resumes it in the editor.
    const policy = { agentId: agent.id, missedPolicy: 'skip', catchupLimit: 3, timezone: null, paused: true };
    await app.call('schedules.savePolicy', policy);
    await app.call('agents.update', { id: agent.id, patch: { schedule: '* * * * * *' } });
    // A slow answer (about 6 s) keeps the run visibly going.
    server.push({ parts: [{ type: 'text', text: 'Tick report: all quiet. '.repeat(6) }], delayMs: 150, chunkSize: 4 });

    await page.reload();
    await agentRow(page, 'Ticker').getByRole('button').first().click();
    await page.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByTestId('agent-editor');
    await editor.getByTestId('editor-tab-controls').click();
    const panel = editor.getByTestId('schedule-panel');
    await expect(panel).toContainText('No scheduled runs yet.');
    await expect(panel.getByTestId('schedule-pause')).toHaveText('Resume');

    await panel.getByTestId('schedule-pause').click();
    // The run's row arrives on its own while the model is still answering.
    const runRow = panel.getByTestId('run-row').filter({ has: page.getByTestId('run-open') });
    await expect(runRow).toHaveCount(1, { timeout: 60_000 });
    await expect(runRow).toHaveAttribute('data-run-status', 'running');
    await expect(runRow.getByTestId('run-status')).toContainText('Running');
    // No second run while this one goes on; pause before the next second could start one.
    await panel.getByTestId('schedule-pause').click();
    await expect(panel.getByTestId('schedule-pause')).toHaveText('Resume');
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    // The end arrives the same way: no reload, no polling.
    await expect(runRow).toHaveAttribute('data-run-status', 'completed', { timeout: 60_000 });
    await expect(runRow.getByTestId('run-status')).toContainText('Completed');
    const [run] = (await app.call<ScheduleRun[]>('schedules.history', { agentId: agent.id })).filter((r) => r.sessionId !== null);
    expect(run).toMatchObject({ status: 'started', session: { status: 'completed' } });
    await expectNoSeriousA11yViolations(page, testInfo, 'schedule run history');
    await referenceShots(page, testInfo, 'schedule-history');
    await page.setViewportSize({ width: 1440, height: 900 });

    // "Open" closes the editor and shows the run's session with its log.
    await runRow.getByTestId('run-open').click();
    await expect(editor).toBeHidden();
    await expect(page.getByTestId('session-title')).toContainText('Scheduled run');
    await expect(page.getByTestId('session-status').first()).toContainText('Completed');
    await expect(page.getByTestId('log-row').filter({ hasText: 'Tick report: all quiet.' }).first()).toBeVisible();
    expect(await page.getByTestId('session-title').textContent()).toMatch(/^Scheduled run · /);
    expect(run!.sessionId).toBeTruthy();
  });
});
