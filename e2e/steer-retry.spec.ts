// Conversation control while and after a run, keyboard first: a message sent while the agent
// works says it will be sent before the next step and is part of that step's request; a failed
// model call offers Retry (Alt+Shift+R), which asks again and keeps the failed attempt in the log;
// a failed tool call offers "Retry this tool call", which runs the tool again and lets the model
// go on from the new result. Light and dark, axe-checked.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Agent, LogNode, Session } from '../src/shared/domain';
import type { ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect as baseExpect, test, type PaddockApp } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow } from './support/ui';
import { eachTestProviderServer, eachTestWorkDir } from './support/setup';

// Runs and axe on a loaded 2-core machine: the generous budget is for load, not for sleeps.
test.beforeEach(() => test.slow());
const expect = baseExpect.configure({ timeout: 30_000 });

let server: ProviderServer;
let work: string;
eachTestProviderServer({ apiKey: 'sk-e2e', models: ['test-model'] }, (s) => (server = s));
eachTestWorkDir('paddock-e2e-work-', (dir) => (work = dir));

async function setUp(app: PaddockApp, page: Page, theme: 'light' | 'dark'): Promise<Session> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  const provider = await app.call<{ id: string }>('providers.save', { name: 'Local', kind: 'openai-compatible', baseURL: server.baseURL, apiKey: 'sk-e2e', models: [{ id: 'test-model' }] });
  const agent = await app.call<Agent>('agents.create', { name: 'Steerable', model: `${provider.id}:test-model`, builtinTools: ['write_file', 'read_file'], accessiblePaths: [work], permissionMode: 'ask' });
  const session = await app.call<Session>('sessions.create', { agentId: agent.id });
  await page.reload();
  await agentRow(page, 'Steerable').getByRole('button').first().click();
  await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
  return session;
}

const lastRequest = () => JSON.stringify(server.requests.filter((r) => r.method === 'POST').at(-1)?.body ?? null);

for (const theme of ['light', 'dark'] as const) {
  test(`steer a running agent by keyboard: pending until the next step, then part of its request (${theme})`, async ({ page, app }, testInfo) => {
    await setUp(app, page, theme);
    server.push(
      { parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'plan.txt', content: 'step one' } }] },
      { parts: [{ type: 'text', text: 'Written, and kept brief.' }] },
    );
    const input = page.getByTestId('composer-input');
    await input.fill('Write the plan');
    await input.press('Enter');
    await expect(page.getByTestId('approval-card')).toBeVisible();

    // Steer while the run waits: the message is in the log, marked as not sent yet.
    await input.focus();
    await page.keyboard.type('Keep it brief');
    await page.keyboard.press('Enter');
    const pending = page.getByTestId('steer-pending');
    await expect(pending).toHaveText('Will be sent before the next step');
    await expect(page.getByTestId('log-row').filter({ hasText: 'Keep it brief' })).toHaveCount(1);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-steer-pending`);

    await page.keyboard.press('Alt+Shift+A');
    await expect(page.getByText('Written, and kept brief.').first()).toBeVisible();
    await expect(pending).toHaveCount(0);
    expect(lastRequest()).toContain('Keep it brief');
    await expect(page.getByTestId('composer-send')).toHaveText('Send');
  });

  test(`retry a failed model call by keyboard; the failed attempt stays in the log (${theme})`, async ({ page, app }, testInfo) => {
    await setUp(app, page, theme);
    // Fails (the provider SDK's own retries fail too), then succeeds on Retry.
    server.push({ error: { status: 500, message: 'upstream hiccup' } });
    const input = page.getByTestId('composer-input');
    await input.fill('Summarise the plan');
    await input.press('Enter');
    const retry = page.getByTestId('retry-step');
    await expect(retry.first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-failed-step`);
    server.push({ parts: [{ type: 'text', text: 'Summary: one step.' }] });
    await input.focus();
    await page.keyboard.press('Alt+Shift+R');
    await expect(page.getByText('Summary: one step.').first()).toBeVisible();
    await expect(retry).toHaveCount(0);
    await expect(page.getByTestId('log-row').filter({ hasText: 'Retried from here' })).toHaveCount(1);
    // The failed attempt is still in the log, and not in the new request.
    await expect(page.getByTestId('log-tree')).toContainText('HTTP 500');
    expect(lastRequest()).toContain('Summarise the plan');
    expect(lastRequest()).not.toContain('HTTP 500');
  });

  test(`retry a failed tool call by keyboard: the tool runs again, the model goes on from the new result (${theme})`, async ({ page, app }, testInfo) => {
    const session = await setUp(app, page, theme);
    const notes = join(work, 'notes.txt');
    server.push(
      { parts: [{ type: 'tool_call', name: 'read_file', args: { path: notes } }] },
      { parts: [{ type: 'text', text: 'Sorry, there is no such file.' }] },
    );
    const input = page.getByTestId('composer-input');
    await input.fill('Read my notes');
    await input.press('Enter');
    await expect(page.getByText('Sorry, there is no such file.').first()).toBeVisible();
    const retry = page.getByTestId('retry-step');
    await expect(retry.first()).toHaveText('Retry this tool call');
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-failed-tool-call`);

    // The file exists now: the retried call reads it, and the model answers from what it read.
    await writeFile(notes, 'buy milk');
    server.push({ parts: [{ type: 'text', text: 'Your notes say: buy milk.' }] });
    await input.focus();
    await page.keyboard.press('Alt+Shift+R');
    await expect(page.getByText('Your notes say: buy milk.').first()).toBeVisible();
    await expect(retry).toHaveCount(0);
    // The model was sent the new result, not what followed the failure; both calls stay in the log.
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(lastRequest()).toContain('buy milk');
    expect(lastRequest()).not.toContain('Sorry, there is no such file.');
    const tree = await app.call<LogNode[]>('logs.tree', { sessionId: session.id });
    expect(tree.filter((n) => n.kind === 'action').map((n) => n.status)).toEqual(['error', 'complete']);
  });
}
