// The inspection views of a session: timeline beside the tree, compact density, replay at the
// recorded pace, comparison of two runs and the usage dashboard. Each is reached by keyboard,
// checked with axe in light and dark, and photographed for docs/screenshots (trace-*.png) when
// PADDOCK_SCREENSHOTS=1.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { formatCost } from '../src/renderer/lib/format';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { paths } from './support/paths';
import { DEEP_SESSION, importGeneratedSession } from './support/sessions';
import { logRow } from './support/ui';

test.use({ viewport: { width: 1440, height: 900 } });

/** The view at the two documented window sizes: `${base}-1440x900.png` and `${base}-1024x700.png`. */
async function shot(page: Page, testInfo: TestInfo, base: string, opts: { foldPanes?: boolean } = {}): Promise<void> {
  const dir = process.env.PADDOCK_SCREENSHOTS ? paths.screenshots : testInfo.outputPath();
  await mkdir(dir, { recursive: true });
  for (const [width, height] of [[1440, 900], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    // At 1024 px the session views get room the way the docs advise: side panes folded.
    if (width === 1024 && opts.foldPanes) await togglePanes(page, 'Hide');
    // Two frames: the resize's layout and the canvases redrawn for it.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await page.screenshot({ path: join(dir, `${base}-${width}x${height}.png`), animations: 'disabled', caret: 'hide' });
    if (width === 1024 && opts.foldPanes) await togglePanes(page, 'Show');
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function togglePanes(page: Page, action: 'Hide' | 'Show'): Promise<void> {
  for (const pane of ['agents', 'sessions']) {
    await page.getByRole('button', { name: `${action} ${pane} pane` }).click();
    await expect(page.getByRole('button', { name: `${action === 'Hide' ? 'Show' : 'Hide'} ${pane} pane` })).toBeVisible();
  }
}

/** axe in both themes, then back to light. */
async function checkThemes(page: Page, testInfo: TestInfo, label: string, photo?: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId(`theme-${theme}`).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expectNoSeriousA11yViolations(page, testInfo, `${label}-${theme}`);
    if (photo) await shot(page, testInfo, `${photo}-${theme}`, { foldPanes: true });
  }
  await page.getByTestId('theme-light').click();
}

test.describe('trace views', () => {
  // Each test imports a 300-node session and runs axe twice per view: slow on a loaded machine.
  test.describe.configure({ timeout: 240_000 });

  test('timeline beside the tree: keyboard, hover figures, reveal in the tree', async ({ page }, testInfo) => {
    const { data, landmarks } = await importGeneratedSession(page, testInfo);
    await page.getByTestId('view-timeline').click();
    const host = page.getByTestId('timeline-canvas-host');
    await expect(host).toHaveAttribute('data-row-count', String(DEEP_SESSION.nodes));
    await expect(page.getByTestId('timeline')).toContainText('waiting for approval');

    // Keyboard: focus, arrows read each entry out, Enter reveals it in the tree.
    await host.focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('timeline-focused')).toContainText(/model|user message/);
    await page.keyboard.press('Enter');
    await expect(logRow(page, data.nodes[1]!.id)).toBeFocused();
    await expect(logRow(page, data.nodes[1]!.id)).toHaveAttribute('aria-selected', 'true');

    // Zoom and pan keep working and the figures show on hover.
    await host.focus();
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('0');
    const box = (await host.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + 22 + 11 * 3);
    await expect(page.getByTestId('timeline-tip')).toBeVisible();
    await page.mouse.click(box.x + box.width * 0.6, box.y + 22 + 11);
    await expect(logRow(page, data.nodes[0]!.id)).toHaveAttribute('aria-selected', 'true');

    // A tool call's own row shows its phases in words.
    await logRow(page, landmarks.byKind.action!.id).click();
    await checkThemes(page, testInfo, 'timeline', 'trace-timeline');
  });

  test('compact density: one line per entry, tool arguments folded, copy buttons', async ({ page, context }, testInfo) => {
    const { landmarks } = await importGeneratedSession(page, testInfo);
    const action = logRow(page, landmarks.byKind.action!.id);
    // Folded to one line by default, in both densities.
    await expect(action.locator('pre.json.is-preview').first()).toBeVisible();
    await page.getByTestId('density-compact').click();
    await expect(page.getByTestId('density-compact')).toHaveAttribute('aria-pressed', 'true');
    const leaf = logRow(page, landmarks.byKind.observation!.id);
    await leaf.scrollIntoViewIfNeeded();
    expect((await leaf.boundingBox())!.height).toBeLessThan(40);
    // Expansion on demand, from the keyboard.
    await leaf.click();
    await page.keyboard.press('Enter');
    await expect(leaf.locator('.json-block')).toBeVisible();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await leaf.getByRole('button', { name: 'Copy output' }).click();
    await expect(leaf.getByRole('button', { name: 'Copied' })).toBeVisible();
    await checkThemes(page, testInfo, 'compact', 'trace-compact');
  });

  test('replay grows the tree at the recorded pace and leaves the tree fully usable', async ({ page }, testInfo) => {
    const { data, landmarks } = await importGeneratedSession(page, testInfo);
    const tree = page.getByTestId('log-tree');
    await page.getByTestId('view-timeline').click();
    await page.getByTestId('replay-open').click();
    await expect(page.getByTestId('replay-bar')).toBeVisible();
    // At the start only what had started is shown; at 10× with waits skipped it grows.
    await page.getByTestId('replay-speed-10').click();
    await page.getByTestId('replay-skip').check();
    await expect.poll(async () => Number(await tree.getAttribute('data-row-count'))).toBeGreaterThan(3);
    expect(Number(await tree.getAttribute('data-row-count'))).toBeLessThan(DEEP_SESSION.nodes);
    await page.getByTestId('replay-play').click(); // pause
    await checkThemes(page, testInfo, 'replay', 'trace-replay');

    // One tree, one row per node while the replay runs: the tree keeps its keyboard.
    await expect(page.getByRole('tree')).toHaveCount(1);
    await logRow(page, data.nodes[0]!.id).click();
    await page.keyboard.press('ArrowDown');
    await expect(logRow(page, data.nodes[1]!.id)).toBeFocused();

    // Scrub to the end: everything recorded is there, text included.
    const scrubber = page.getByTestId('replay-scrubber');
    await scrubber.focus();
    await page.keyboard.press('End');
    await expect(tree).toHaveAttribute('data-row-count', String(DEEP_SESSION.nodes));
    await page.getByTestId('replay-close').click();
    await expect(page.getByTestId('replay-bar')).toHaveCount(0);

    // After the replay, the session-tree behaviours are intact (search, collapse, keyboard).
    await page.keyboard.press('Control+f');
    await expect(page.getByTestId('log-search')).toBeFocused();
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await expect(tree).toHaveAttribute('data-row-count', String(landmarks.rootCount));
    await page.getByRole('button', { name: 'Expand all' }).click();
    await expect(tree).toHaveAttribute('data-row-count', String(DEEP_SESSION.nodes));
  });

  test('compare two runs and read usage that adds up', async ({ page }, testInfo) => {
    const first = await importGeneratedSession(page, testInfo);
    const second = await importGeneratedSession(page, testInfo, { ...DEEP_SESSION, seed: 8, sessionName: 'Second run' });
    // Dialogs make the page behind them inert: the theme is switched between openings.
    for (const theme of ['light', 'dark'] as const) {
      await page.getByTestId(`theme-${theme}`).click();
      await page.getByTestId('compare-open').click();
      const dialog = page.getByTestId('compare-dialog');
      await expect(dialog).toBeVisible();
      const option = dialog.locator('option', { hasText: first.data.session.name });
      await dialog.getByLabel('B: compare with').selectOption((await option.getAttribute('value'))!);
      await expect(dialog.getByTestId('compare-steps').getByTestId('compare-step').first()).toBeVisible();
      await expect(dialog.getByTestId('compare-totals')).toContainText('B − A');
      await expectNoSeriousA11yViolations(page, testInfo, `compare-${theme}`);
      await shot(page, testInfo, `trace-compare-${theme}`);
      await page.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);

      // Usage: the total is the sum of the two sessions.
      await page.getByTestId('usage-open').click();
      const usage = page.getByTestId('usage-dialog');
      await expect(usage.getByTestId('usage-total-cost')).toHaveText(formatCost(first.data.session.costUsd + second.data.session.costUsd));
      await expect(usage.getByTestId('usage-by-agent').locator('tbody tr')).toHaveCount(2);
      await expect(usage.getByTestId('usage-chart').locator('canvas')).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, `usage-${theme}`);
      await shot(page, testInfo, `trace-usage-${theme}`);
      // A range with nothing in it says so.
      await usage.getByTestId('usage-from').fill('2099-01-01');
      await expect(usage.getByTestId('usage-empty')).toBeVisible();
      await usage.getByRole('button', { name: 'All time' }).click();
      await page.keyboard.press('Escape');
      await expect(usage).toHaveCount(0);
    }
  });
});
