// The session view from 1024×700 up: the header wraps compactly (the name keeps a line of its
// own, the actions fit beside the status, nothing runs off the edge) so the log keeps most of the
// height; "Approval needed ↓" sits below the log's viewport, never over an entry, and brings the
// card back by keyboard with focus on Approve. Light and dark, axe-checked.
import type { Locator, Page } from '@playwright/test';
import type { Agent, Session } from '../src/shared/domain';
import { startProviderServer, type ProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect as baseExpect, test, type PaddockApp } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow } from './support/ui';

// Runs and axe on a loaded 2-core machine: the generous budget is for load, not for sleeps.
test.beforeEach(() => test.slow());
const expect = baseExpect.configure({ timeout: 30_000 });

let server: ProviderServer;
test.beforeEach(async () => {
  server = await startProviderServer({ apiKey: 'sk-e2e', models: ['gpt-4.1-mini'] });
});
test.afterEach(async () => {
  await server.close();
});

/** A typical session: a long first message, an answer, a write waiting for approval. */
async function setUp(app: PaddockApp, page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  const provider = await app.call<{ id: string }>('providers.save', {
    name: 'Local Ollama',
    kind: 'openai-compatible',
    baseURL: server.baseURL,
    apiKey: 'sk-e2e',
    models: [{ id: 'gpt-4.1-mini', contextWindow: 1000000, price: { input: 0.4, output: 1.6 } }],
  });
  const agent = await app.call<Agent>('agents.create', {
    name: 'Code reviewer',
    description: 'Reviews pull requests; flags risky changes first.',
    model: `${provider.id}:gpt-4.1-mini`,
    builtinTools: ['write_file'],
    accessiblePaths: [app.dataDir],
    permissionMode: 'ask',
  });
  const session = await app.call<Session>('sessions.create', { agentId: agent.id });
  const answer = Array.from({ length: 30 }, (_, i) => `Finding ${i + 1}: a line of the review that takes room.`).join('\n\n');
  server.push({ parts: [{ type: 'text', text: answer }, { type: 'tool_call', name: 'write_file', args: { path: 'review.md', content: '# Review\n' } }] });
  await page.reload();
  await agentRow(page, 'Code reviewer').getByRole('button').first().click();
  await page.locator(`[data-testid="session-item"][data-session-id="${session.id}"] button`).first().click();
  await app.call('sessions.start', { sessionId: session.id, message: 'Review the last commit and write your findings to review.md' });
  await expect(page.getByTestId('approval-card')).toBeInViewport();
  await expect(page.getByTestId('session-title')).toHaveText('Review the last commit and write your findings to review.md');
}

const box = async (l: Locator) => (await l.boundingBox())!;

/** Every element of the header inside the header's box, and nothing scrolled sideways. */
async function expectNothingOverflows(header: Locator): Promise<void> {
  const overflowing = await header.evaluate((root) => {
    const style = (el: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { overflowX: string } }).getComputedStyle(el);
    const outer = root.getBoundingClientRect();
    const out: string[] = [];
    for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1) continue; // visually hidden names
      if (el.scrollWidth > el.clientWidth + 1 && style(el).overflowX === 'visible') out.push(`${el.tagName}.${el.className} scrolls`);
      if (r.left < outer.left - 0.5 || r.right > outer.right + 0.5) out.push(`${el.tagName}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(outer.left)}–${Math.round(outer.right)}`);
    }
    return out;
  });
  expect(overflowing).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  test(`the session header wraps compactly at 1024×700 and the approval jump never covers the log (${theme})`, async ({ page, app }, testInfo) => {
    await setUp(app, page, theme);
    const header = page.getByTestId('session-header');
    expect((await box(header)).height).toBeLessThanOrEqual(120);
    // The name is readable, not squeezed to a letter; the actions are all there and reachable.
    expect((await box(page.getByTestId('session-title'))).width).toBeGreaterThan(300);
    const actions = header.getByRole('toolbar', { name: 'Session actions' });
    for (const name of ['Stop', 'Export', 'Export as…', 'Archive', 'Delete']) await expect(actions.getByRole('button', { name, exact: true })).toBeVisible();
    await expectNothingOverflows(header);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-header-1024`);

    // Scrolled away from the card: the jump control appears below the log's viewport.
    const scroller = page.getByTestId('log-tree-scroll');
    await scroller.evaluate((el) => (el.scrollTop = 0));
    const jump = page.getByTestId('jump-to-approval');
    await expect(jump).toBeVisible();
    expect((await box(jump)).y).toBeGreaterThanOrEqual((await box(scroller)).y + (await box(scroller)).height - 0.5);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-jump`);
    await jump.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('approval-card')).toBeInViewport();
    await expect(page.getByTestId('approve-once')).toBeFocused();
    await expect(jump).toHaveCount(0);

    // A wider window: no taller, and still nothing off the edge.
    await page.setViewportSize({ width: 1440, height: 900 });
    expect((await box(header)).height).toBeLessThanOrEqual(120);
    await expectNothingOverflows(header);
  });
}
