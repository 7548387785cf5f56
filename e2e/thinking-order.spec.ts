// Thinking shown where it happened: a model that thinks and then answers (the provider test
// server streams reasoning, then text) shows, in the tree, the step's header, its thinking, and
// only then its answer; live while it streams, and the same after the host restarts. Compact
// density keeps that order. Axe-checked in light and dark.
import type { Locator, Page } from '@playwright/test';
import type { Agent, LogNode, Session } from '../src/shared/domain';
import { startProviderServer, type ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect as baseExpect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow } from './support/ui';

test.beforeEach(() => test.slow());
const expect = baseExpect.configure({ timeout: 30_000 });

let server: ProviderServer;
test.beforeEach(async () => {
  server = await startProviderServer({ apiKey: 'sk-e2e', models: ['test-model'] });
});
test.afterEach(async () => {
  await server.close();
});

const THINKING = 'The user asks for six times seven; that is forty-two, I will say so plainly.';
const ANSWER = 'Six times seven is 42.';

async function top(l: Locator): Promise<number> {
  return (await l.boundingBox())!.y;
}

/** Header row of the step, then its thought, then its answer, top to bottom and in row order. */
async function expectThinkingFirst(page: Page, stepId: string, thoughtId: string): Promise<void> {
  const head = page.locator(`[data-testid="log-row"][data-node-id="${stepId}"]`);
  const thought = page.locator(`[data-testid="log-row"][data-node-id="${thoughtId}"]`);
  const answer = page.locator(`[data-testid="log-answer"][data-answer-of="${stepId}"]`);
  await expect(answer).toContainText(ANSWER);
  await expect(thought).toContainText('six times seven');
  await expect(head).not.toContainText(ANSWER);
  const index = async (l: Locator) => Number(await l.getAttribute('data-index'));
  expect(await index(head)).toBeLessThan(await index(thought));
  expect(await index(thought)).toBeLessThan(await index(answer));
  expect(await top(head)).toBeLessThan(await top(thought));
  expect(await top(thought)).toBeLessThan(await top(answer));
}

test('a thought appears before the answer it preceded, live and after a restart', async ({ page, app }, testInfo) => {
  const provider = await app.call<{ id: string }>('providers.save', {
    name: 'Local',
    kind: 'openai-compatible',
    baseURL: server.baseURL,
    apiKey: 'sk-e2e',
    models: [{ id: 'test-model', contextWindow: 128000 }],
  });
  const agent = await app.call<Agent>('agents.create', { name: 'Thinker', model: `${provider.id}:test-model`, builtinTools: [], permissionMode: 'ask' });
  const session = await app.call<Session>('sessions.create', { agentId: agent.id });
  await page.reload();
  await agentRow(page, 'Thinker').getByRole('button').first().click();
  await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();

  // Slow enough to watch: the answer's row exists while the thinking still streams.
  server.push({ parts: [{ type: 'reasoning', text: THINKING }, { type: 'text', text: ANSWER }], delayMs: 150, chunkSize: 4 });
  await app.call('sessions.start', { sessionId: session.id, message: 'six times seven?' });
  const thoughtRow = page.locator('[data-testid="log-row"][data-kind="thought"]');
  await expect(thoughtRow).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('log-answer')).toHaveCount(1);
  await expect(page.locator('[data-testid="log-row"][data-kind="assistant_message"]')).toHaveAttribute('data-status', 'complete');

  const nodes = await app.call<LogNode[]>('logs.tree', { sessionId: session.id });
  const step = nodes.find((n) => n.kind === 'assistant_message')!;
  const thought = nodes.find((n) => n.kind === 'thought')!;
  await expectThinkingFirst(page, step.id, thought.id);
  // The answer row is part of its step: the tree still has one row per entry.
  await expect(page.getByTestId('log-tree')).toHaveAttribute('data-row-count', String(nodes.length));
  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId(`theme-${theme}`).click();
    await expectNoSeriousA11yViolations(page, testInfo, `thinking order ${theme}`);
  }

  // Keyboard: from the thought, Down goes to what follows the step, not into its answer text.
  await page.locator(`[data-testid="log-row"][data-node-id="${thought.id}"]`).click();
  await page.keyboard.press('ArrowUp');
  await expect(page.locator(`[data-testid="log-row"][data-node-id="${step.id}"]`)).toBeFocused();

  // Compact density: the same order, one line each.
  await page.getByTestId('density-compact').click();
  await expectThinkingFirst(page, step.id, thought.id);
  await page.getByTestId('density-compact').click();

  const restarted = await app.restart();
  await agentRow(restarted, 'Thinker').getByRole('button').first().click();
  await restarted.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
  await expectThinkingFirst(restarted, step.id, thought.id);
});
