// Every main view at 1024×700, 1440×900 and 1920×1080, light and dark, with seeded data
// (docs/screenshots/views/<view>-<width>x<height>-<theme>.png): agents and sessions (pinned,
// tagged, imported), a session with its log, an approval card, settings, the command palette,
// starters, usage, the timeline, compare and storage. Opt-in, because it rewrites committed files:
//   PADDOCK_SCREENSHOTS=1 npx playwright test views-screenshots --project=browser-host
// Each view is also checked for horizontal overflow of the page at every size.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Session } from '../src/shared/domain';
import { startProviderServer } from '../src/main/runtime/testing/providerServer';
import { expect as baseExpect, test } from './fixtures';
import { paths } from './support/paths';
import { REVIEW_TURN, SCREENSHOT_SIZES, seedShowcaseAgents } from './support/screenshots';
import { agentRow } from './support/ui';

const expect = baseExpect.configure({ timeout: 30_000 });
const OUT = join(paths.screenshots, 'views');
const CLAUDE_FILE = join(process.cwd(), 'src', 'main', 'interchange', 'fixtures', 'claude-code', 'multi-tool-session.jsonl');

interface View {
  name: string;
  /** Opens the view (from the main window, in the current theme). */
  open: (page: Page) => Promise<void>;
  /** Back to the main window (dialogs make the rest inert, so the theme switch waits for this). */
  close?: (page: Page) => Promise<void>;
}

const openSession = (id: string) => async (page: Page) => {
  await page.locator(`[data-testid="session-item"][data-session-id="${id}"] .session-item-main`).click();
  await expect(page.getByTestId('session-header')).toBeVisible();
};
const escape = async (page: Page) => {
  await page.keyboard.press('Escape');
  await expect(page.locator('dialog[open]')).toHaveCount(0);
};

test('every main view at three sizes, light and dark', async ({ page, app }) => {
  test.skip(!process.env.PADDOCK_SCREENSHOTS, 'set PADDOCK_SCREENSHOTS=1 to refresh docs/screenshots');
  test.skip(app.target !== 'browser-host', 'taken once, from the browser host');
  test.setTimeout(900_000);
  await mkdir(OUT, { recursive: true });
  const server = await startProviderServer({ apiKey: 'sk-shots', models: ['gpt-4.1-mini'] });
  try {
    const agent = await seedShowcaseAgents(app, server);
    await app.call('interchange.importFile', { jobId: 'shots-import', path: CLAUDE_FILE });

    // Two finished runs (log, timeline, compare, usage), one waiting for an approval.
    const runs: Session[] = [];
    for (const [name, answer] of [
      ['Flaky login test triage', 'The login test waits on a fixed 500 ms timeout; under load the token refresh takes longer. Wait for the refresh event instead.'],
      ['Flaky login test, second look', 'Same cause: the fixed timeout. The retry hides it in CI, so the failure rate looked lower than it is.'],
    ] as const) {
      const s = await app.call<Session>('sessions.create', { agentId: agent.id, name });
      server.push({ parts: [{ type: 'reasoning', text: 'Look at the test, then at the code it waits on.' }, { type: 'text', text: answer }] });
      await app.call('sessions.start', { sessionId: s.id, message: 'Why does the login test fail one run in ten?' });
      runs.push(s);
    }
    const live = await app.call<Session>('sessions.create', { agentId: agent.id });
    await app.call('sessions.pin', { id: runs[0]!.id, pinned: true });
    await app.call('sessions.tag', { id: runs[0]!.id, add: ['flaky', 'ci'] });
    await app.call('sessions.tag', { id: runs[1]!.id, add: ['flaky'] });

    await page.reload();
    await agentRow(page, 'Code reviewer').getByRole('button').first().click();
    await expect(page.locator(`[data-testid="session-item"][data-session-id="${runs[1]!.id}"][data-status="completed"]`)).toBeVisible();
    await expect(page.locator(`[data-testid="session-item"][data-session-id="${runs[0]!.id}"][data-status="completed"]`)).toBeVisible();
    server.push(REVIEW_TURN);
    await app.call('sessions.start', { sessionId: live.id, message: 'Review the last commit and write your findings to review.md' });

    const views: View[] = [
      { name: 'agents', open: async (p) => void (await expect(p.getByTestId('session-list')).toBeVisible()) },
      { name: 'session', open: openSession(runs[0]!.id) },
      {
        name: 'approval',
        open: async (p) => {
          await openSession(live.id)(p);
          await expect(p.getByTestId('approval-card')).toBeVisible();
        },
      },
      {
        name: 'timeline',
        open: async (p) => {
          await openSession(runs[0]!.id)(p);
          await p.getByTestId('view-timeline').click();
          await expect(p.getByTestId('timeline')).toBeVisible();
        },
        close: async (p) => p.getByTestId('view-tree').click(),
      },
      {
        name: 'compare',
        open: async (p) => {
          await openSession(runs[0]!.id)(p);
          await p.getByTestId('compare-open').click();
          const dialog = p.getByTestId('compare-dialog');
          const option = dialog.locator('option', { hasText: runs[1]!.name });
          await dialog.getByLabel('B: compare with').selectOption((await option.getAttribute('value'))!);
          await expect(dialog.getByTestId('compare-totals')).toBeVisible();
        },
        close: escape,
      },
      {
        name: 'usage',
        open: async (p) => {
          await p.getByTestId('usage-open').click();
          await expect(p.getByTestId('usage-dialog').getByTestId('usage-chart').locator('canvas')).toBeVisible();
        },
        close: escape,
      },
      {
        name: 'settings',
        open: async (p) => {
          await p.getByTestId('open-settings').click();
          await expect(p.getByTestId('settings-dialog')).toBeVisible();
        },
        close: escape,
      },
      {
        name: 'storage',
        open: async (p) => {
          await p.getByTestId('open-settings').click();
          await p.getByTestId('open-storage').click();
          await expect(p.getByTestId('storage-health')).toBeVisible();
        },
        close: async (p) => {
          while ((await p.locator('dialog[open]').count()) > 0) await p.keyboard.press('Escape');
        },
      },
      {
        name: 'palette',
        open: async (p) => {
          await p.keyboard.press('Control+k');
          await expect(p.getByTestId('command-palette')).toBeVisible();
        },
        close: async (p) => {
          await p.keyboard.press('Escape');
          await expect(p.getByTestId('command-palette')).toBeHidden();
        },
      },
      {
        name: 'starters',
        open: async (p) => {
          await p.getByTestId('open-starters').click();
          await expect(p.getByTestId('starter-gallery')).toBeVisible();
        },
        close: escape,
      },
    ];

    for (const size of SCREENSHOT_SIZES) {
      await page.setViewportSize(size);
      for (const theme of ['light', 'dark'] as const) {
        await page.getByTestId(`theme-${theme}`).click();
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        for (const view of views) {
          await view.open(page);
          await page.mouse.move(0, 0);
          // Nothing pushes the page sideways at any size.
          const overflow = await page.evaluate(() => {
            const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
            return root.scrollWidth - root.clientWidth;
          });
          expect(overflow, `${view.name} at ${size.width}px`).toBe(0);
          await page.screenshot({ path: join(OUT, `${view.name}-${size.width}x${size.height}-${theme}.png`), animations: 'disabled', caret: 'hide' });
          await view.close?.(page);
        }
      }
    }
  } finally {
    await server.close();
  }
});
