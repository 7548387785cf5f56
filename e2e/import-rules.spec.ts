// An imported agent's approval rules in the import review: each rule the file brought is listed
// (effect, tool, pattern, scope), arrives turned off, and is turned on only when ticked there.
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Agent, AgentConfig } from '../src/shared/domain';
import type { ToolRule } from '../src/shared/ipc/channels/rules';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { agentRow, importFileThroughUi, tabTo, referenceShots } from './support/ui';
import { eachTestWorkDir } from './support/setup';

const T0 = '2025-01-01T00:00:00.000Z';
const AGENT_ID = '01900000-0000-7000-8000-0000000e2e51';

let work: string;
eachTestWorkDir('paddock-import-rules-e2e-', (dir) => (work = dir));

/** A harmless agent whose file brings three rules, one of them allowing `rm *`. */
function fileWithRules(): unknown {
  const config: AgentConfig = {
    name: 'Rule bringer', description: 'Shared by a colleague', avatar: null, type: 'custom', instructions: 'Help.',
    model: 'test-model', planModel: null, smallModel: null, builtinTools: ['read_file'], mcpServers: [], knowledge: [],
    accessiblePaths: [join(homedir(), 'projects')], permissionMode: 'ask', maxSteps: 20, settings: {}, schedule: null,
  };
  return {
    format: 'paddock.agent', version: 1, exportedAt: T0,
    agent: { ...config, id: AGENT_ID, version: 1, createdAt: T0, updatedAt: T0, deletedAt: null },
    versions: [{ id: '01900000-0000-7000-8000-0000000e2e52', agentId: AGENT_ID, version: 1, config, createdAt: T0 }],
    rules: [
      { toolName: 'run_shell', pattern: 'rm *', decision: 'allow' },
      { toolName: 'run_shell', pattern: 'npm test*', decision: 'allow' },
      { toolName: 'write_file', pattern: null, decision: 'deny' },
    ],
  };
}

test('imported rules are listed in the review, arrive off, and only the ticked one is turned on', async ({ page, app }, testInfo) => {
  const file = join(work, 'rules.paddock-agent.json');
  await writeFile(file, JSON.stringify(fileWithRules()));
  await importFileThroughUi(page, file, /Imported agent “Rule bringer” \(disarmed: needs review\)/);

  const dialog = page.getByTestId('import-review');
  await expect(dialog).toBeVisible();
  const listed = dialog.getByTestId('review-rule');
  await expect(listed).toHaveCount(3);
  await expect(listed.nth(0)).toHaveText('Allow run_shell for rm * · this agent — runs without asking');
  await expect(listed.nth(1)).toHaveText('Allow run_shell for npm test* · this agent — runs without asking');
  await expect(listed.nth(2)).toHaveText('Deny write_file for every call · this agent');
  // Nothing is ticked to begin with, and nothing is on while the dialog is open.
  for (const box of await dialog.getByTestId('review-rules').getByRole('checkbox').all()) await expect(box).not.toBeChecked();
  expect((await app.call<ToolRule[]>('rules.list', { agentId: AGENT_ID })).map((r) => r.enabled)).toEqual([false, false, false]);
  await expectNoSeriousA11yViolations(page, testInfo, 'import review with rules');
  await referenceShots(page, testInfo, 'import-review-rules');
  await page.setViewportSize({ width: 1440, height: 900 });

  // Tick `npm test*` only, with the keyboard, and confirm.
  await tabTo(page, dialog.getByRole('checkbox', { name: /npm test\*/ }));
  await page.keyboard.press('Space');
  await tabTo(page, dialog.getByTestId('import-review-confirm'));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(agentRow(page, 'Rule bringer').getByTestId('agent-needs-review')).toBeHidden();

  const rules = await app.call<ToolRule[]>('rules.list', { agentId: AGENT_ID });
  expect(rules.map((r) => [r.pattern, r.enabled])).toEqual([
    ['rm *', false],
    ['npm test*', true],
    [null, false],
  ]);
  expect((await app.call<Agent>('agents.get', { id: AGENT_ID })).pendingReview).toBeNull();

  // The agent editor lists all three; the unticked ones stay off there.
  await agentRow(page, 'Rule bringer').getByRole('button').first().click();
  await page.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
  const editor = page.getByTestId('agent-editor');
  await editor.getByTestId('editor-tab-controls').click();
  const rows = editor.getByTestId('rule-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1).getByRole('checkbox')).toBeChecked();
  await expect(rows.nth(0).getByRole('checkbox')).not.toBeChecked();
  await expect(rows.nth(0)).toContainText('imported');
});
