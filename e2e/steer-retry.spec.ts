// Conversation control while and after a run, keyboard first: a message sent while the agent
// works says it will be sent before the next step and is part of that step's request; a failed
// model call offers Retry (Alt+Shift+R), which asks again and keeps the failed attempt in the log.
// Light and dark, axe-checked.
import type { Page } from '@playwright/test';
import type { Agent, Session } from '../src/shared/domain';
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
  const agent = await app.call<Agent>('agents.create', { name: 'Steerable', model: `${provider.id}:test-model`, builtinTools: ['write_file'], accessiblePaths: [work], permissionMode: 'ask' });
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
}
