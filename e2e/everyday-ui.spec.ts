// Everyday use without traps: the command palette and shortcut sheet, delete that never chains
// on a repeated key, imports that go where the user is (and never duplicate a name), starter
// agents created disarmed, the unsaved-changes guard in Settings (Esc included), agent rows
// without a "custom" subtitle, toasts that stay clear of controls and are reachable by F8, and
// foldable side panes that remember their state. Light and dark, axe-checked.
import { writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { Agent, Session } from '../src/shared/domain';
import { expect as baseExpect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, editor, toast } from './support/ui';

// Runs, axe and restarts on a loaded 2-core machine: the generous budget is for load, not for sleeps.
test.beforeEach(() => test.slow());
const expect = baseExpect.configure({ timeout: 30_000 });

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

for (const theme of ['light', 'dark'] as const) {
  test(`command palette and shortcut sheet by keyboard (${theme})`, async ({ page }, testInfo) => {
    await useTheme(page, theme);
    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await expect(palette).toBeVisible();
    await expect(page.getByTestId('palette-input')).toBeFocused();
    // Every action with its shortcut.
    await expect(palette.locator('[data-command="new-session"]')).toContainText('Alt+N');
    await expect(palette.locator('[data-command="approve"]')).toContainText('Alt+Shift+A');
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-palette`);
    await page.keyboard.type('new agent');
    await expect(page.getByTestId('palette-item').first()).toHaveAttribute('data-command', 'new-agent');
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(editor(page)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(editor(page)).toBeHidden();

    // "?" opens the sheet (not while typing in a field).
    await page.getByTestId('new-agent').focus();
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcut-sheet');
    await expect(sheet).toBeVisible();
    await expect(sheet).toContainText('Stop the run');
    await expect(sheet).toContainText('Command palette');
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-shortcut-sheet`);
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
    await page.getByTestId('agent-search').focus();
    await page.keyboard.press('?');
    await expect(sheet).toBeHidden();
    await expect(page.getByTestId('agent-search')).toHaveValue('?');
  });

  test(`starter agents are created disarmed and open in the editor (${theme})`, async ({ page, app }, testInfo) => {
    await useTheme(page, theme);
    await page.getByTestId('empty-starters').click();
    const gallery = page.getByTestId('starter-gallery');
    await expect(gallery.getByTestId('starter-card')).toHaveCount(3);
    await expectNoSeriousA11yViolations(page, testInfo, `${theme}-starters`);
    await gallery.getByTestId('starter-use-code-reviewer').click();
    await expect(editor(page)).toBeVisible();
    await editor(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(editor(page)).toBeHidden();
    const agents = await app.call<{ items: Agent[] }>('agents.list', {});
    const reviewer = agents.items.find((a) => a.name === 'Code reviewer')!;
    expect(reviewer.permissionMode).toBe('ask');
    expect(reviewer.schedule).toBeNull();
    expect(reviewer.builtinTools).not.toContain('write_file');
    await expect(page.getByTestId('agent-name')).toHaveText('Code reviewer');
  });
}

test('delete moves focus off the button: Enter twice deletes one agent', async ({ page, app }) => {
  await app.call('agents.create', { name: 'First' });
  await app.call('agents.create', { name: 'Second' });
  await page.reload();
  await agentRow(page, 'First').getByRole('button').first().click();
  const del = page.getByTestId('agent-header').getByRole('button', { name: 'Delete', exact: true });
  await del.focus();
  await page.keyboard.press('Enter');
  await expect(toast(page, '“First” moved to trash')).toBeVisible();
  await expect(page.getByTestId('agent-list').locator('[tabindex="0"]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agent-item')).toHaveCount(1);
  await expect(agentRow(page, 'Second')).toBeVisible();
  // An agent without a description reads its model or "No description", never its type.
  await expect(agentRow(page, 'Second')).toContainText('No description');
  await expect(agentRow(page, 'Second')).not.toContainText('custom');
  // F8 reaches the toast's Undo.
  await page.keyboard.press('F8');
  await expect(toast(page, 'moved to trash').getByRole('button', { name: 'Undo' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agent-item')).toHaveCount(2);
});

test('import goes into the agent the user is in (asked), and a taken agent name gets a suffix', async ({ page, app }, testInfo) => {
  const a = await app.call<Agent>('agents.create', { name: 'Agent A', instructions: 'A' });
  await app.call<Agent>('agents.create', { name: 'Agent B', instructions: 'B' });
  const recorded = await app.call<Session>('sessions.create', { agentId: a.id, name: 'Recorded by A' });
  const sessionFile = testInfo.outputPath('session.json');
  await writeFile(sessionFile, JSON.stringify(await app.call('sessions.export', { id: recorded.id })));
  const agentFile = testInfo.outputPath('agent.json');
  await writeFile(agentFile, JSON.stringify(await app.call('agents.export', { id: a.id })));
  await page.reload();

  await agentRow(page, 'Agent B').getByRole('button').first().click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('sessions-pane').getByRole('button', { name: 'Import session' }).click();
  await (await chooser).setFiles(sessionFile);
  const ask = page.getByTestId('confirm-dialog');
  await expect(ask).toContainText('recorded by the agent “Agent A”');
  await expectNoSeriousA11yViolations(page, testInfo, 'import-target');
  await ask.getByTestId('confirm-ok').click();
  await expect(toast(page, 'Imported session “Recorded by A”')).toBeVisible();
  await expect(page.getByTestId('agent-name')).toHaveText('Agent B');
  await expect(page.getByTestId('session-item').filter({ hasText: 'Recorded by A' })).toHaveCount(1);

  const chooser2 = page.waitForEvent('filechooser');
  await page.getByTestId('agents-pane').getByRole('button', { name: 'Import', exact: true }).click();
  await (await chooser2).setFiles(agentFile);
  await expect(toast(page, 'Imported agent “Agent A (2)”')).toBeVisible();
  await expect(agentRow(page, 'Agent A (2)')).toBeVisible();
});

test('Esc in the provider form asks before throwing the form away', async ({ page }) => {
  await page.getByTestId('open-settings').click();
  const settings = page.getByTestId('settings-dialog');
  await settings.getByTestId('provider-name').fill('Half filled');
  await page.keyboard.press('Escape');
  const ask = page.getByTestId('confirm-dialog');
  await expect(ask).toContainText('Discard unsaved changes?');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(settings).toBeVisible();
  await expect(settings.getByTestId('provider-name')).toHaveValue('Half filled');
  await page.keyboard.press('Escape');
  await ask.getByTestId('confirm-ok').click();
  await expect(settings).toBeHidden();
});

test('at 1024×700 the header wraps, nothing overflows, panes fold and remember it', async ({ page, app }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const agent = await app.call<Agent>('agents.create', { name: 'Narrow' });
  await app.call('sessions.create', { agentId: agent.id, name: 'A session with a fairly long name to show' });
  await page.reload();
  await agentRow(page, 'Narrow').getByRole('button').first().click();
  await page.getByTestId('session-item').first().getByRole('button').first().click();
  const title = page.getByTestId('session-title');
  await expect(title).toBeVisible();
  expect((await title.boundingBox())!.width).toBeGreaterThan(120);
  for (const name of ['Expand all', 'Collapse all', 'Delete']) {
    const box = (await page.getByTestId('session-pane').getByRole('button', { name, exact: true }).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
  }
  expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);

  // Alt+1 folds the agents pane; the rail's button unfolds it; the state survives a reload.
  await page.keyboard.press('Alt+1');
  await expect(page.getByTestId('toggle-agents')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('new-agent')).toBeHidden();
  await page.reload();
  await expect(page.getByTestId('toggle-agents')).toHaveAttribute('aria-expanded', 'false');
  await page.getByTestId('toggle-agents').click();
  await expect(page.getByTestId('new-agent')).toBeVisible();
});

test('toasts stack above the composer, clear of the header and the send button', async ({ page, app }) => {
  await app.call<Agent>('agents.create', { name: 'Toasty' });
  await page.reload();
  await agentRow(page, 'Toasty').getByRole('button').first().click();
  await page.getByTestId('new-session').click();
  await expect(page.getByTestId('composer-input')).toBeFocused();
  const t = toast(page, 'created');
  await expect(t).toBeVisible();
  await expect(page.getByTestId('session-header')).toBeVisible();
  const box = (await t.boundingBox())!;
  const header = page.getByTestId('session-header');
  for (const target of [page.getByTestId('composer-send'), header.getByRole('button', { name: 'Export', exact: true }), header.getByRole('button', { name: 'Delete' })]) {
    const b = (await target.boundingBox())!;
    const overlaps = box.x < b.x + b.width && b.x < box.x + box.width && box.y < b.y + b.height && b.y < box.y + box.height;
    expect(overlaps).toBe(false);
  }
});
