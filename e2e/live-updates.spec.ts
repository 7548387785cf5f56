// Pushed events reach every open window: what one browser window changes, another one showing
// the same host updates without a reload (agents.changed / sessions.changed over the socket).
import { browserHostOnly, expect, test } from './fixtures';
import { agentRow, createAgentThroughUi, toast, waitForAppReady } from './support/ui';

test('changes made in another window appear without reloading', async ({ page, app }) => {
  const host = browserHostOnly(app);
  const other = await app.newIsolatedPage();
  await other.goto(host.url);
  await waitForAppReady(other);

  // An agent created in the other window shows up here.
  await createAgentThroughUi(other, { name: 'Made elsewhere', description: 'Created in a second window.' });
  await expect(agentRow(page, 'Made elsewhere')).toBeVisible();
  await agentRow(page, 'Made elsewhere').getByRole('button').first().click();
  await expect(page.getByTestId('sessions-empty')).toBeVisible();

  // A session started there is listed here.
  await other.getByTestId('new-session').click();
  await expect(toast(other, /^Session “.*” created/)).toBeVisible();
  await expect(page.getByTestId('session-item')).toHaveCount(1);

  // A rename there is reflected here (a new version of the agent).
  await other.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
  await other.getByTestId('agent-editor').getByTestId('agent-name-input').fill('Renamed elsewhere');
  await other.getByTestId('save-agent').click();
  await expect(other.getByTestId('agent-editor')).toBeHidden();
  await expect(agentRow(page, 'Renamed elsewhere')).toBeVisible();
  await expect(agentRow(page, 'Made elsewhere')).toHaveCount(0);
});
