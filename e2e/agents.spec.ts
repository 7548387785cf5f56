// Agents through the UI: the whole life of an agent (create, edit into a new version,
// duplicate, delete to the trash, restore) and the editor's validation and unsaved-changes guard.
import type { Agent, AgentVersion } from '../src/shared/domain';
import { expect, test } from './fixtures';
import { agentRow, createAgentThroughUi, editor, toast } from './support/ui';

test.describe('agents', () => {
  test('create, edit, duplicate, delete and restore an agent', async ({ page, app }) => {
    // A fresh data directory starts on the empty state.
    await expect(page.getByTestId('agents-empty')).toContainText('No agents yet');

    await createAgentThroughUi(page, {
      name: 'Code reviewer',
      description: 'Reviews pull requests for risky changes.',
      instructions: 'You review diffs. Point out bugs first.',
      model: 'gpt-test-mini',
    });
    await expect(toast(page, 'Agent “Code reviewer” created')).toBeVisible();
    const header = page.getByTestId('agent-header');
    await expect(header).toContainText('Version 1');
    await expect(header).toContainText('Reviews pull requests for risky changes.');
    await expect(agentRow(page, 'Code reviewer')).toHaveCount(1);

    // Edit: a saved change becomes version 2; the history keeps version 1.
    await header.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = editor(page);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('agent-name-input')).toHaveValue('Code reviewer');
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Reviews pull requests and security fixes.');
    await dialog.getByTestId('save-agent').click();
    await expect(dialog).toBeHidden();
    await expect(header).toContainText('Version 2');
    await expect(header).toContainText('Reviews pull requests and security fixes.');

    await header.getByRole('button', { name: 'Version 2', exact: true }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('tab', { name: 'Version history' })).toHaveAttribute('aria-selected', 'true');
    await expect(dialog.getByText(/version 1/i).first()).toBeVisible();
    await expect(dialog.getByText(/version 2/i).first()).toBeVisible();
    await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
    await expect(dialog).toBeHidden();

    // Duplicate: a new agent named "… (copy)" at version 1, selected.
    await header.getByRole('button', { name: 'Duplicate', exact: true }).click();
    await expect(toast(page, 'Duplicated as “Code reviewer (copy)”')).toBeVisible();
    await expect(page.getByTestId('agent-name')).toHaveText('Code reviewer (copy)');
    await expect(header).toContainText('Version 1');
    await expect(page.getByTestId('agent-item')).toHaveCount(2);

    // Delete moves to the trash (no confirmation, an Undo instead).
    await header.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(toast(page, '“Code reviewer (copy)” moved to trash')).toBeVisible();
    await expect(agentRow(page, 'Code reviewer (copy)')).toHaveCount(0);
    await expect(page.getByTestId('agent-item')).toHaveCount(1);

    // The trash lists it; Restore brings it back.
    await page.getByTestId('trash-tab').click();
    await expect(page.getByTestId('trash-tab')).toHaveAttribute('aria-pressed', 'true');
    const trashed = agentRow(page, 'Code reviewer (copy)');
    await expect(trashed).toBeVisible();
    await expect(agentRow(page, 'Code reviewer')).toHaveCount(0);
    await trashed.getByRole('button', { name: 'Restore “Code reviewer (copy)”' }).click();
    await expect(toast(page, '“Code reviewer (copy)” restored')).toBeVisible();
    await expect(page.getByTestId('agents-empty')).toContainText('Trash is empty');

    await page.getByRole('button', { name: 'Agents', exact: true }).click();
    await expect(agentRow(page, 'Code reviewer')).toBeVisible();
    await expect(agentRow(page, 'Code reviewer (copy)')).toBeVisible();

    // What the UI shows is what main stored.
    const stored = await app.call<{ items: Agent[] }>('agents.list', {});
    const byName = (a: Agent, b: Agent) => a.name.localeCompare(b.name);
    expect(stored.items.sort(byName).map((a) => [a.name, a.version, a.deletedAt])).toEqual([
      ['Code reviewer', 2, null],
      ['Code reviewer (copy)', 1, null],
    ]);
    const original = stored.items.find((a) => a.name === 'Code reviewer')!;
    const versions = await app.call<AgentVersion[]>('agents.versions', { id: original.id });
    expect(versions.map((v) => [v.version, v.config.description]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1, 'Reviews pull requests for risky changes.'],
      [2, 'Reviews pull requests and security fixes.'],
    ]);
  });

  test('the undo in the toast brings a deleted agent back', async ({ page }) => {
    await createAgentThroughUi(page, { name: 'Scratch agent' });
    await page.getByTestId('agent-header').getByRole('button', { name: 'Delete', exact: true }).click();
    const undo = toast(page, '“Scratch agent” moved to trash').getByRole('button', { name: 'Undo' });
    await undo.click();
    await expect(toast(page, '“Scratch agent” restored')).toBeVisible();
    await expect(agentRow(page, 'Scratch agent')).toBeVisible();
  });

  test('the editor validates inline and guards unsaved changes', async ({ page, app }) => {
    await page.getByTestId('new-agent').click();
    const dialog = editor(page);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('agent-name-input')).toBeFocused();

    // Saving without a name is refused with an inline message on the field.
    await dialog.getByTestId('save-agent').click();
    const name = dialog.getByTestId('agent-name-input');
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByText('Give the agent a name.')).toBeVisible();

    // Malformed JSON settings are flagged as typed.
    const settings = dialog.getByRole('textbox', { name: 'Settings' });
    await settings.fill('{"temperature": ');
    await settings.blur();
    await expect(settings).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByText(/Invalid JSON/).first()).toBeVisible();
    await settings.fill('{"temperature": 0.2}');
    await expect(settings).not.toHaveAttribute('aria-invalid', 'true');

    // Escape with unsaved changes asks first; Cancel keeps the draft.
    await name.fill('Half-finished agent');
    await page.keyboard.press('Escape');
    const confirm = page.getByTestId('confirm-dialog');
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText('Discard unsaved changes?');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(dialog).toBeVisible();
    await expect(name).toHaveValue('Half-finished agent');

    // Discarding closes without saving anything.
    await page.keyboard.press('Escape');
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Discard changes' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('agents-empty')).toBeVisible();
    expect((await app.call<{ items: Agent[] }>('agents.list', {})).items).toEqual([]);
  });
});
