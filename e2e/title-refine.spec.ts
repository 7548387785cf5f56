// Sessions that name themselves, refined: with the agent's switch off (the default) a finished
// first answer costs no second request and the title stays the first message's line; turned on
// from the agent editor by keyboard, the agent's small model is asked once after the first answer
// and its suggestion becomes the title, shown in the header, the session list and the log.
// Against a fake provider speaking the real wire protocol. Light and dark, axe-checked.
import type { Page } from '@playwright/test';
import type { Agent, Page as ResultPage, Session } from '../src/shared/domain';
import { startProviderServer, type ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect as baseExpect, test, type PaddockApp } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, editor } from './support/ui';

// Runs and axe on a loaded 2-core machine: the generous budget is for load, not for sleeps.
test.beforeEach(() => test.slow());
const expect = baseExpect.configure({ timeout: 30_000 });

let server: ProviderServer;
test.beforeEach(async () => {
  server = await startProviderServer({ apiKey: 'sk-e2e', models: ['main-model', 'small-model'] });
});
test.afterEach(async () => {
  await server.close();
});

/** The model requests the fake provider received, as sent. */
const posts = () => server.requests.filter((r) => r.method === 'POST').map((r) => r.body as { model?: string; messages?: unknown });
/** The title request is the one carrying the naming instructions. */
const titleRequests = () => posts().filter((b) => JSON.stringify(b).includes('You name chat sessions'));

async function setUp(app: PaddockApp, page: Page, theme: 'light' | 'dark'): Promise<Agent> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  const provider = await app.call<{ id: string }>('providers.save', {
    name: 'Local',
    kind: 'openai-compatible',
    baseURL: server.baseURL,
    apiKey: 'sk-e2e',
    models: [{ id: 'main-model' }, { id: 'small-model' }],
  });
  const agent = await app.call<Agent>('agents.create', { name: 'Namer', model: `${provider.id}:main-model`, smallModel: `${provider.id}:small-model`, permissionMode: 'ask' });
  await page.reload();
  await agentRow(page, 'Namer').getByRole('button').first().click();
  await expect(page.getByTestId('agent-name')).toHaveText('Namer');
  return agent;
}

/** Alt+N, type the first message, Enter; resolves once the run has answered. */
async function runFirstMessage(page: Page, message: string, answer: string): Promise<void> {
  await page.getByTestId('agent-list').getByRole('button').first().focus();
  await page.keyboard.press('Alt+n');
  const input = page.getByTestId('composer-input');
  await expect(input).toBeFocused();
  await page.keyboard.type(message);
  await page.keyboard.press('Enter');
  await expect(page.getByText(answer).first()).toBeVisible();
  await expect(page.getByTestId('session-header').getByTestId('session-status')).toHaveText('Completed');
}

for (const theme of ['light', 'dark'] as const) {
  test(`title refinement: off costs nothing, on by keyboard names the session with the small model (${theme})`, async ({ page, app }, testInfo) => {
    const agent = await setUp(app, page, theme);

    // Off (the default): one request for the answer, none for a title, even after a second run.
    server.push({ parts: [{ type: 'text', text: 'Here is a first draft.' }] }, { parts: [{ type: 'text', text: 'And a second one.' }] });
    await runFirstMessage(page, 'draft the quarterly report for the board', 'Here is a first draft.');
    await expect(page.getByTestId('session-title')).toHaveText('draft the quarterly report for the board');
    const input = page.getByTestId('composer-input');
    await input.focus();
    await page.keyboard.type('once more please');
    await page.keyboard.press('Enter');
    await expect(page.getByText('And a second one.').first()).toBeVisible();
    await expect.poll(() => posts().length).toBe(2);
    expect(titleRequests()).toHaveLength(0);
    await expect(page.getByTestId('session-title')).toHaveText('draft the quarterly report for the board');
    await expect(page.getByTestId('log-tree')).not.toContainText('Title suggested');

    // Turned on from the editor, by keyboard: palette → Edit agent, Space on the switch, Ctrl+S.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('edit agent');
    await expect(page.getByTestId('palette-item').first()).toHaveAttribute('data-command', 'edit-agent');
    await page.keyboard.press('Enter');
    await expect(editor(page)).toBeVisible();
    const toggle = editor(page).getByTestId('refine-titles-toggle');
    await expect(toggle).not.toBeChecked();
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect(toggle).toBeChecked();
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-refine-toggle`);
    await page.keyboard.press('Control+s');
    await expect(editor(page)).toBeHidden();
    await expect.poll(async () => (await app.call<Agent>('agents.get', { id: agent.id })).settings).toMatchObject({ refineTitles: true });

    // On: the answer, then one short request to the small model; its suggestion is the title.
    server.push({ parts: [{ type: 'text', text: 'The migration plan, step by step.' }] }, { parts: [{ type: 'text', text: '"Database Migration Plan".' }], usage: { input: 60, output: 5 } });
    await runFirstMessage(page, 'how do we move the database to the new cluster', 'The migration plan, step by step.');
    await expect(page.getByTestId('session-title')).toHaveText('Database Migration Plan');
    await expect(page.locator('[data-testid="session-item"].is-selected')).toContainText('Database Migration Plan');
    await expect(page.getByTestId('log-tree')).toContainText('Title suggested by the small model: Database Migration Plan');
    const asked = titleRequests();
    expect(asked).toHaveLength(1);
    expect(asked[0]!.model).toBe('small-model');
    expect(JSON.stringify(asked[0])).toContain('how do we move the database to the new cluster');
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-refined-title`);

    // Only once per session: a second answer asks for no other title.
    server.push({ parts: [{ type: 'text', text: 'Rollback is covered too.' }] });
    await input.focus();
    await page.keyboard.type('and the rollback?');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Rollback is covered too.').first()).toBeVisible();
    await expect.poll(() => posts().length).toBe(5);
    expect(titleRequests()).toHaveLength(1);
    await expect(page.getByTestId('session-title')).toHaveText('Database Migration Plan');
    // The first session, made while the switch was off, keeps its name.
    const sessions = await app.call<ResultPage<Session>>('sessions.list', { agentId: agent.id });
    expect(sessions.items.map((s) => s.name).sort()).toEqual(['Database Migration Plan', 'draft the quarterly report for the board']);
  });
}
