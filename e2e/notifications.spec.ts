// Attention in the browser host, keyboard first: starting a run asks for the Web Notifications
// permission once; while the user looks elsewhere (the window without focus), an approval that
// is needed and a run that ends each raise a notification, and clicking one opens its session;
// the window title counts sessions waiting for an answer; while the window is in front, nothing
// pops up; the agent's notify switch stops them. Window.Notification is replaced by a recorder
// (headless Chromium shows nothing) and document.hasFocus by a switch the test holds.
// Light and dark, axe-checked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Agent } from '../src/shared/domain';
import { startProviderServer, type ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect as baseExpect, test, type PaddockApp } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow } from './support/ui';

// Runs and axe on a loaded 2-core machine: the generous budget is for load, not for sleeps.
test.beforeEach(() => test.slow());
const expect = baseExpect.configure({ timeout: 30_000 });

let server: ProviderServer;
let work: string;
test.beforeEach(async () => {
  server = await startProviderServer({ apiKey: 'sk-e2e', models: ['test-model'] });
  work = await mkdtemp(join(tmpdir(), 'paddock-e2e-work-'));
});
test.afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

interface Recorded {
  title: string;
  body: string;
  tag: string;
}

/** What the recorder keeps on the page's global object (the specs compile without the DOM library). */
interface PageGlobals {
  __notes: Recorded[];
  __asked: number;
  __away: boolean;
  __last: { onclick: (() => void) | null } | null;
  Notification: unknown;
  Document: { prototype: { hasFocus(): boolean } };
}

/** Runs in the page before the app: records notifications, and lets the test say where the user looks. */
function installRecorder(): void {
  const w = globalThis as unknown as PageGlobals;
  w.__notes = [];
  w.__asked = 0;
  w.__away = false;
  w.__last = null;
  let permission = 'default';
  // No class fields or other syntax a transpiler would turn into helpers: this text runs alone.
  function RecordingNotification(this: { onclick: (() => void) | null }, title: string, options?: { body?: string; tag?: string }) {
    this.onclick = null;
    w.__notes.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
    w.__last = this;
  }
  RecordingNotification.prototype.close = function () {};
  Object.defineProperty(RecordingNotification, 'permission', { get: () => permission });
  Object.defineProperty(RecordingNotification, 'requestPermission', {
    value: () => {
      w.__asked += 1;
      permission = 'granted';
      return Promise.resolve(permission);
    },
  });
  Object.defineProperty(w, 'Notification', { value: RecordingNotification, configurable: true, writable: true });
  const hasFocus = w.Document.prototype.hasFocus;
  w.Document.prototype.hasFocus = function (this: unknown) {
    return !w.__away && hasFocus.call(this);
  };
}

const notes = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__notes);
const asked = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__asked);
const lookAway = (page: Page, away: boolean) => page.evaluate((a) => void ((globalThis as unknown as PageGlobals).__away = a), away);

async function setUp(app: PaddockApp, page: Page, theme: 'light' | 'dark'): Promise<Agent> {
  await page.context().grantPermissions(['notifications']);
  await page.addInitScript(installRecorder);
  const provider = await app.call<{ id: string }>('providers.save', { name: 'Local', kind: 'openai-compatible', baseURL: server.baseURL, apiKey: 'sk-e2e', models: [{ id: 'test-model' }] });
  const agent = await app.call<Agent>('agents.create', { name: 'Watcher', model: `${provider.id}:test-model`, builtinTools: ['write_file'], accessiblePaths: [work], permissionMode: 'ask' });
  await app.call<Agent>('agents.create', { name: 'Elsewhere', model: `${provider.id}:test-model` });
  await page.reload();
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await agentRow(page, 'Watcher').getByRole('button').first().click();
  await expect(page.getByTestId('agent-name')).toHaveText('Watcher');
  return agent;
}

async function send(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('composer-input');
  await input.focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const writeThenSay = (path: string, said: string) => [
  { parts: [{ type: 'tool_call' as const, name: 'write_file', args: { path: join(work, path), content: 'noted' } }] },
  { parts: [{ type: 'text' as const, text: said }] },
];

for (const theme of ['light', 'dark'] as const) {
  test(`notifications while looking elsewhere, the title count, and the per-agent switch, by keyboard (${theme})`, async ({ page, app }, testInfo) => {
    await setUp(app, page, theme);
    await page.getByTestId('agent-list').getByRole('button').first().focus();
    await page.keyboard.press('Alt+n');
    await expect(page.getByTestId('composer-input')).toBeFocused();

    // Starting a run asks for permission once; then the user looks elsewhere.
    server.push(...writeThenSay('one.txt', 'Noted in one.txt.'));
    await page.keyboard.type('note this down');
    await lookAway(page, true);
    await page.keyboard.press('Enter');
    await expect.poll(() => asked(page)).toBe(1);
    await expect(page.getByTestId('approval-card')).toBeVisible();
    await expect.poll(async () => (await notes(page)).map((n) => n.title)).toEqual([expect.stringMatching(/^Approval needed: /)]);
    expect((await notes(page))[0]!.body).toBe('A tool call waits for your answer.');
    await expect(page).toHaveTitle(/^\(1\) note this down — Paddock$/);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-approval-waiting`);

    // Clicking the notification opens its session, even from another agent.
    await agentRow(page, 'Elsewhere').getByRole('button').first().click();
    await expect(page.getByTestId('agent-name')).toHaveText('Elsewhere');
    await expect(page).toHaveTitle(/^\(1\) /);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).__last?.onclick?.());
    await expect(page.getByTestId('agent-name')).toHaveText('Watcher');
    await expect(page.getByTestId('session-header').getByTestId('session-status')).toHaveText('Waiting for input');

    // Approved by shortcut; the run ends while the user is still away: a second notification.
    await page.getByTestId('composer-input').focus();
    await page.keyboard.press('Alt+Shift+A');
    await expect.poll(async () => (await notes(page)).map((n) => n.title)).toEqual([expect.stringMatching(/^Approval needed: /), 'Run finished: note this down']);
    await expect(page).toHaveTitle('note this down — Paddock');

    // In front: the title still counts, but nothing pops up.
    await lookAway(page, false);
    server.push(...writeThenSay('two.txt', 'Noted in two.txt.'));
    await send(page, 'and this');
    await expect(page.getByTestId('session-header').getByTestId('session-status')).toHaveText('Waiting for input');
    await expect(page).toHaveTitle(/^\(1\) /);
    await page.keyboard.press('Alt+Shift+A');
    await expect(page.getByTestId('session-header').getByTestId('session-status')).toHaveText('Completed');
    expect(await notes(page)).toHaveLength(2);

    // The agent's switch, by keyboard: off stops the notifications (the title count stays).
    const notify = page.getByTestId('agent-notify');
    await expect(notify).toHaveAttribute('aria-pressed', 'true');
    await notify.focus();
    await page.keyboard.press('Enter');
    await expect(notify).toHaveAttribute('aria-pressed', 'false');
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-notify-off`);
    await lookAway(page, true);
    server.push(...writeThenSay('three.txt', 'Noted in three.txt.'));
    await send(page, 'quietly now');
    await expect(page.getByTestId('session-header').getByTestId('session-status')).toHaveText('Waiting for input');
    await expect(page).toHaveTitle(/^\(1\) /);
    await page.keyboard.press('Alt+Shift+A');
    await expect(page.getByTestId('session-header').getByTestId('session-status')).toHaveText('Completed');
    expect(await notes(page)).toHaveLength(2);
    // The switch is remembered.
    await page.reload();
    await agentRow(page, 'Watcher').getByRole('button').first().click();
    await expect(page.getByTestId('agent-notify')).toHaveAttribute('aria-pressed', 'false');
  });
}
