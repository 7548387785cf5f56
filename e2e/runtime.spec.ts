// Running agents for real in the browser host: a provider configured in Settings (talking to a
// provider test server that speaks the OpenAI-compatible wire protocol), text streaming into the
// tree, an approved write, a denied shell command, a stopped long run, a follow-up, and the
// identical tree after a host restart.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Agent, LogNode, Session } from '../src/shared/domain';
import type { Page as ResultPage } from '../src/shared/domain';
import type { ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, toast } from './support/ui';
import { eachTestProviderServer, eachTestWorkDir } from './support/setup';

function rowWithText(page: Page, text: string) {
  return page.getByTestId('log-row').filter({ hasText: text });
}

async function send(page: Page, message: string) {
  const input = page.getByTestId('composer-input');
  await input.fill(message);
  await input.press('Enter');
  await expect(input).toHaveValue('');
}

test.describe('agent runtime', () => {
  let server: ProviderServer;
  let work: string;
  // Whole workflows (settings, several runs, restarts): like the other workflow specs, three
  // times the default time, which a loaded 2-core machine needs (each step keeps its own bound).
  test.beforeEach(() => test.slow());
  eachTestProviderServer({ apiKey: 'sk-e2e-secret', models: ['test-model', 'big-model'] }, (s) => (server = s));
  eachTestWorkDir('paddock-e2e-work-', (dir) => (work = dir));

  test('configure a provider, run with approvals, deny, stop, follow up, restart', async ({ page, app }, testInfo) => {
    // --- Settings: add the provider, test it, fetch its models, price one, save.
    await page.getByTestId('open-settings').click();
    const settings = page.getByTestId('settings-dialog');
    await expect(settings).toBeVisible();
    await settings.getByTestId('provider-name').fill('Local');
    await settings.getByTestId('provider-kind').selectOption('openai-compatible');
    await settings.getByTestId('provider-url').fill(server.baseURL);
    await settings.getByTestId('provider-key').fill('sk-e2e-secret');
    await settings.getByTestId('provider-test').click();
    await expect(settings.getByTestId('provider-test-result')).toContainText('Connected: 2 models');
    await settings.getByTestId('models-fetch').click();
    await expect(settings.getByTestId('model-id')).toHaveCount(2);
    // Listed sorted: big-model, test-model.
    await expect(settings.getByTestId('model-id').nth(1)).toHaveValue('test-model');
    await settings.getByTestId('model-contextWindow').nth(1).fill('200000');
    await settings.getByTestId('model-input').nth(1).fill('3');
    await settings.getByTestId('model-output').nth(1).fill('15');
    await expectNoSeriousA11yViolations(page, testInfo, 'provider settings');
    await settings.getByTestId('provider-save').click();
    await expect(toast(page, 'Saved provider Local')).toBeVisible();
    await expect(settings.getByTestId('provider-item')).toContainText('key saved');
    // The key is never shown again.
    await expect(settings.getByTestId('provider-key')).toHaveValue('');
    await expect(page.locator('body')).not.toContainText('sk-e2e-secret');
    await settings.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(settings).toBeHidden();

    // --- The agent (its editor is covered by the agents specs): model by provider name.
    const agent = await app.call<Agent>('agents.create', {
      name: 'Runner',
      model: 'Local:test-model',
      builtinTools: ['read_file', 'write_file', 'run_shell'],
      accessiblePaths: [work],
      permissionMode: 'ask',
    });
    await page.reload();
    await agentRow(page, 'Runner').getByRole('button').first().click();
    await page.getByTestId('new-session').click();
    await expect(page.getByTestId('composer')).toBeVisible();
    const sessions = await app.call<ResultPage<Session>>('sessions.list', { agentId: agent.id });
    const sessionId = sessions.items[0]!.id;

    // --- Text streams into the tree; a write waits for approval with its full arguments.
    server.push(
      {
        parts: [
          { type: 'text', text: 'I will write the greeting file for you now, one moment.' },
          { type: 'tool_call', name: 'write_file', args: { path: 'hello.txt', content: 'Hello from the e2e run' } },
        ],
        delayMs: 15,
      },
      { parts: [{ type: 'text', text: 'The greeting file is written.' }] },
    );
    await send(page, 'Write hello.txt');
    await expect(rowWithText(page, 'I will write the greeting file').first()).toBeVisible();
    const card = page.getByTestId('approval-card');
    await expect(card).toBeVisible();
    await expect(card.getByTestId('approval-args')).toContainText('Hello from the e2e run');
    await expectNoSeriousA11yViolations(page, testInfo, 'approval card');
    await expect(page.getByTestId('session-stop')).toBeVisible();
    await card.getByTestId('approve-once').click();
    await expect(rowWithText(page, 'The greeting file is written.').first()).toBeVisible();
    await expect(card).toHaveCount(0);
    expect(await readFile(join(work, 'hello.txt'), 'utf8')).toBe('Hello from the e2e run');
    await expect(page.getByTestId('context-meter')).toContainText('/ 200K');

    // --- A shell command is denied with a reason the model is told.
    server.push(
      { parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch shell-ran.txt' } }] },
      { parts: [{ type: 'text', text: 'Understood, I will not run it.' }] },
    );
    await send(page, 'Clean up with the shell');
    await expect(card).toBeVisible();
    await card.getByTestId('deny').click();
    await card.getByTestId('deny-reason-input').fill('no shell today');
    await card.getByTestId('deny-confirm').click();
    await expect(rowWithText(page, 'Understood, I will not run it.').first()).toBeVisible();
    await expect(page.getByTestId('deny-reason').first()).toContainText('no shell today');
    await expect.poll(() => readFile(join(work, 'shell-ran.txt')).then(() => true, () => false)).toBe(false);
    expect(JSON.stringify(server.requests.at(-1)!.body)).toContain('no shell today');

    // --- A long run is stopped; its partial text stays; Resume is offered.
    server.push({ parts: [{ type: 'text', text: 'Once upon a time, in a very long story that never ends' }], delayMs: 20, hang: true });
    await send(page, 'Tell me a long story');
    await expect(rowWithText(page, 'Once upon a time').first()).toBeVisible();
    await page.getByTestId('session-stop').click();
    await expect(page.getByTestId('session-resume')).toBeVisible();
    await expect(rowWithText(page, 'Once upon a time').first()).toBeVisible();

    // --- A follow-up continues from the stored conversation.
    server.push({ parts: [{ type: 'text', text: 'In short: they lived happily.' }] });
    await send(page, 'Just give me the ending');
    await expect(rowWithText(page, 'In short: they lived happily.').first()).toBeVisible();
    await expect(page.getByTestId('session-resume')).toHaveCount(0);
    const lastBody = JSON.stringify(server.requests.at(-1)!.body);
    expect(lastBody).toContain('Write hello.txt');
    expect(lastBody).toContain('Once upon a time');

    // --- Restart the host: the identical tree.
    const before = await app.call<LogNode[]>('logs.tree', { sessionId });
    const restarted = await app.restart();
    await agentRow(restarted, 'Runner').getByRole('button').first().click();
    await restarted.locator(`[data-testid="session-item"][data-session-id="${sessionId}"] button`).first().click();
    await expect(restarted.getByTestId('session-title')).toBeVisible();
    const after = await app.call<LogNode[]>('logs.tree', { sessionId });
    expect(after).toEqual(before);
    // The tree is virtualised and opens at the top: go to its end as a reader would.
    await restarted.getByTestId('log-row').first().focus();
    await restarted.keyboard.press('End');
    await expect(rowWithText(restarted, 'In short: they lived happily.').first()).toBeInViewport();
    // Context use comes back from the stored tree.
    await expect(restarted.getByTestId('context-meter')).toContainText('/ 200K');
  });

  test('a pending approval survives a host restart and can be approved after it', async ({ page, app }) => {
    const provider = await app.call<{ id: string }>('providers.save', { name: 'Local', kind: 'openai-compatible', baseURL: server.baseURL, apiKey: 'sk-e2e-secret' });
    const agent = await app.call<Agent>('agents.create', { name: 'Waiter', model: `${provider.id}:test-model`, builtinTools: ['write_file'], accessiblePaths: [work], permissionMode: 'ask' });
    const session = await app.call<Session>('sessions.create', { agentId: agent.id });
    server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'after-restart.txt', content: 'approved later' } }] });
    await app.call('sessions.start', { sessionId: session.id, message: 'write it' });
    await page.reload();
    await agentRow(page, 'Waiter').getByRole('button').first().click();
    await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
    await expect(page.getByTestId('approval-card')).toBeVisible();

    const restarted = await app.restart();
    await agentRow(restarted, 'Waiter').getByRole('button').first().click();
    await restarted.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
    const card = restarted.getByTestId('approval-card');
    await expect(card).toBeVisible();
    await expect(card.getByTestId('approval-args')).toContainText('approved later');
    server.push({ parts: [{ type: 'text', text: 'Written after the restart.' }] });
    await card.getByTestId('approve-once').click();
    await expect(rowWithText(restarted, 'Written after the restart.').first()).toBeVisible();
    await expect(card).toHaveCount(0);
    expect(await readFile(join(work, 'after-restart.txt'), 'utf8')).toBe('approved later');
  });
});
