// Everyday use of a running agent, keyboard first: Alt+N lands in the composer, the session names
// itself from the first message, the log follows the run to the approval card, the approval is
// answered by shortcut with focus kept, the model reads "Provider · model" (and follows a
// provider rename), the window title counts waiting sessions, "Approval needed" jumps to a card
// scrolled away, a restart during an approval is explained, and a lost connection disables what
// cannot work. Light and dark, axe-checked.
import type { Page } from '@playwright/test';
import type { Agent, Session } from '../src/shared/domain';
import type { ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect as baseExpect, test, type PaddockApp } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow } from './support/ui';
import { eachTestProviderServer, eachTestWorkDir } from './support/setup';

// Runs, axe and restarts on a loaded 2-core machine: the generous budget is for load, not for sleeps.
test.beforeEach(() => test.slow());
const expect = baseExpect.configure({ timeout: 30_000 });

let server: ProviderServer;
let work: string;
eachTestProviderServer({ apiKey: 'sk-e2e', models: ['test-model'] }, (s) => (server = s));
eachTestWorkDir('paddock-e2e-work-', (dir) => (work = dir));

async function setUp(app: PaddockApp, page: Page, name = 'Daily'): Promise<{ agent: Agent; providerId: string }> {
  const provider = await app.call<{ id: string }>('providers.save', {
    name: 'Local',
    kind: 'openai-compatible',
    baseURL: server.baseURL,
    apiKey: 'sk-e2e',
    models: [{ id: 'test-model', contextWindow: 128000, price: { input: 3, output: 15 } }],
  });
  const agent = await app.call<Agent>('agents.create', { name, model: `${provider.id}:test-model`, builtinTools: ['write_file'], accessiblePaths: [work], permissionMode: 'ask' });
  await page.reload();
  await agentRow(page, name).getByRole('button').first().click();
  await expect(page.getByTestId('agent-name')).toHaveText(name);
  return { agent, providerId: provider.id };
}

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

for (const theme of ['light', 'dark'] as const) {
  test(`a run by keyboard: new session, auto-title, follow, approve by shortcut (${theme})`, async ({ page, app }, testInfo) => {
    await useTheme(page, theme);
    const { agent, providerId } = await setUp(app, page);

    // Alt+N: a new session whose composer has focus at once.
    await page.getByTestId('agent-list').getByRole('button').first().focus();
    await page.keyboard.press('Alt+n');
    const input = page.getByTestId('composer-input');
    await expect(input).toBeFocused();

    server.push(
      {
        parts: [
          { type: 'text', text: Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a long plan.`).join('\n') },
          { type: 'tool_call', name: 'write_file', args: { path: 'notes.txt', content: 'from the keyboard' } },
        ],
      },
      { parts: [{ type: 'text', text: 'All written down.' }] },
    );
    await page.keyboard.type('Write my notes down');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('please, into notes.txt');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('session-title')).toHaveText('Write my notes down', { timeout: 20_000 });
    await expect(page.getByTestId('session-preview').first()).toContainText('Write my notes down');

    // The log followed the run: the approval card is on screen, not below the fold.
    const card = page.getByTestId('approval-card');
    await expect(card).toBeInViewport();
    await expect(page.getByTestId('jump-to-approval')).toHaveCount(0);
    // The title counts sessions waiting for an answer.
    await expect(page).toHaveTitle(/^\(1\) /);
    // The model as people read it, with its facts.
    await expect(page.getByTestId('session-model')).toHaveText('Local · test-model');
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-waiting-approval`);

    // Alt+Shift+A approves; focus stays somewhere useful (never <body>).
    await page.keyboard.press('Alt+Shift+A');
    await expect(page.getByText('All written down.').first()).toBeVisible();
    await expect(card).toHaveCount(0);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName)).not.toBe('BODY');
    await expect(page).not.toHaveTitle(/^\(\d+\) /);

    // Renaming the provider changes the label; the stored reference stays the provider's id.
    await app.call('providers.save', { id: providerId, name: 'Workstation', kind: 'openai-compatible', baseURL: server.baseURL, models: [{ id: 'test-model', contextWindow: 128000 }] });
    await expect(page.getByTestId('session-model')).toHaveText('Workstation · test-model');
    expect((await app.call<Agent>('agents.get', { id: agent.id })).model).toBe(`${providerId}:test-model`);
    await expect(page.getByTestId('agent-header').getByTestId('model-name')).toHaveText('Workstation · test-model');
    await expect(page.getByTestId('agent-header')).not.toContainText(providerId);
  });
}

test('the jump control brings a waiting approval back into view; reopening keeps the spot', async ({ page, app }) => {
  const { agent } = await setUp(app, page);
  const session = await app.call<Session>('sessions.create', { agentId: agent.id });
  const lines = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1}: a long answer that fills the screen.`).join('\n\n');
  server.push({ parts: [{ type: 'text', text: lines }, { type: 'tool_call', name: 'write_file', args: { path: 'a.txt', content: 'x' } }] });
  await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
  await app.call('sessions.start', { sessionId: session.id, message: 'Long answer then a write' });
  const card = page.getByTestId('approval-card');
  await expect(card).toBeInViewport();

  // Scrolled away from the card: the control appears and brings it back with focus on Approve.
  await page.getByTestId('log-tree-scroll').evaluate((el) => (el.scrollTop = 0));
  const jump = page.getByTestId('jump-to-approval');
  await expect(jump).toBeVisible();
  await jump.click();
  await expect(card).toBeInViewport();
  await expect(card.getByTestId('approve-once')).toBeFocused();
  await expect(jump).toHaveCount(0);
});

test('a restart during an approval: the repeated tool call says why', async ({ page, app }) => {
  const { agent } = await setUp(app, page, 'Crashy');
  const session = await app.call<Session>('sessions.create', { agentId: agent.id });
  server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'r.txt', content: 'after restart' } }] });
  await app.call('sessions.start', { sessionId: session.id, message: 'write r.txt' });
  await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
  await expect(page.getByTestId('approval-card')).toBeVisible();

  const restarted = await app.restart();
  await agentRow(restarted, 'Crashy').getByRole('button').first().click();
  await restarted.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
  server.push({ parts: [{ type: 'text', text: 'Done after the restart.' }] });
  await restarted.getByTestId('approve-once').click();
  await expect(restarted.getByText('Done after the restart.').first()).toBeVisible();
  // Two rows for one call: each says what it is.
  const calls = restarted.getByTestId('log-row').filter({ hasText: 'write_file' });
  if ((await calls.count()) > 1) {
    await expect(restarted.getByTestId('superseded-note')).toHaveCount(1);
    await expect(restarted.getByTestId('superseded-note')).toContainText('did not run');
  }
});

test('while disconnected the banner shows and run controls are disabled, not spinning', async ({ page, app }) => {
  const { agent } = await setUp(app, page, 'Offline');
  const session = await app.call<Session>('sessions.create', { agentId: agent.id });
  server.push({ parts: [{ type: 'text', text: 'A story that goes on and on' }], delayMs: 20, hang: true });
  await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
  await app.call('sessions.start', { sessionId: session.id, message: 'Tell me a story' });
  await expect(page.getByTestId('session-stop')).toBeEnabled();

  await app.host!.stop();
  await expect(page.getByTestId('connection-banner')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('composer-input').fill('are you there?');
  await expect(page.getByTestId('composer-send')).toBeDisabled();
  const stop = page.getByTestId('session-stop');
  if ((await stop.count()) > 0) {
    await expect(stop).toBeDisabled();
    await expect(stop.locator('.spinner')).toHaveCount(0);
  }
  await expect(page.getByTestId('new-session')).toBeDisabled();
  // Back on line: a fresh host on the same data, controls work again.
  const back = await app.restart();
  await expect(back.getByTestId('connection-banner')).toHaveCount(0);
});

test('edit & resend makes a branch; fork from an answer; both sides link to each other', async ({ page, app }, testInfo) => {
  const { agent } = await setUp(app, page, 'Brancher');
  const session = await app.call<Session>('sessions.create', { agentId: agent.id });
  server.push({ parts: [{ type: 'text', text: 'Paris is the capital.' }] });
  await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
  await app.call('sessions.start', { sessionId: session.id, message: 'What is the capital of France?' });
  await expect(page.getByText('Paris is the capital.').first()).toBeVisible();
  await expect(page.getByTestId('session-resume')).toHaveCount(0);

  // Edit the question and resend it: a new session, the old one kept.
  server.push({ parts: [{ type: 'text', text: 'Rome is the capital.' }] });
  await page.getByTestId('edit-resend').first().click();
  await page.getByTestId('edit-resend-input').fill('What is the capital of Italy?');
  await expectNoSeriousA11yViolations(page, testInfo, 'edit-resend');
  await page.getByTestId('edit-resend-send').click();
  await expect(page.getByText('Rome is the capital.').first()).toBeVisible();
  await expect(page.getByTestId('forked-from')).toHaveText('What is the capital of France?');
  await expect(page.getByTestId('log-tree')).not.toContainText('Paris');
  const body = JSON.stringify(server.requests.at(-1)!.body);
  expect(body).toContain('capital of Italy');
  expect(body).not.toContain('capital of France');

  // Back to the original: it is unchanged and lists its branch.
  await page.getByTestId('forked-from').click();
  await expect(page.getByTestId('session-title')).toHaveText('What is the capital of France?');
  await expect(page.getByText('Paris is the capital.').first()).toBeVisible();
  await expect(page.getByTestId('branch-link')).toHaveCount(1);

  // Fork from the answer: the copy holds question and answer.
  await page.getByTestId('log-row').filter({ hasText: 'Paris is the capital.' }).getByTestId('fork-here').click();
  await expect(page.getByTestId('session-title')).toHaveText('What is the capital of France? (fork)');
  await expect(page.getByText('Paris is the capital.').first()).toBeVisible();
  await expect(page.getByTestId('composer-input')).toBeFocused();
});
