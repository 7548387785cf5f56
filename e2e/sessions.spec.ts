// Sessions through the UI, and persistence: everything made in one host process is there,
// unchanged, after the host is stopped and started again on the same data directory.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEEP_SESSION, importGeneratedSession } from './support/sessions';
import { agentRow, createAgentThroughUi, editor, logRow, toast, waitForLogLoaded } from './support/ui';

async function newSession(page: Page): Promise<void> {
  const before = await page.getByTestId('session-item').count();
  await page.getByTestId('new-session').click();
  await expect(toast(page, /^Session “.*” created/).last()).toBeVisible();
  await expect(page.getByTestId('session-item')).toHaveCount(before + 1);
}

test.describe('sessions', () => {
  test('create sessions that pin the agent version they started with', async ({ page }) => {
    await createAgentThroughUi(page, { name: 'Release helper', instructions: 'Draft release notes.' });
    await expect(page.getByTestId('sessions-empty')).toContainText('No sessions yet');

    await newSession(page);
    const first = page.getByTestId('session-item').first();
    await expect(first.getByRole('button').first()).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('session-header')).toBeVisible();
    await expect(page.getByTestId('pinned-version')).toHaveText('v1');
    await expect(page.getByTestId('log-empty')).toContainText('Nothing logged yet');
    const firstId = await first.getAttribute('data-session-id');

    // A new agent version; a session created now pins v2, the first one keeps v1.
    await page.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
    await editor(page).getByTestId('agent-instructions-input').fill('Draft release notes. Keep them short.');
    await editor(page).getByTestId('save-agent').click();
    await expect(editor(page)).toBeHidden();
    await expect(page.getByTestId('agent-header')).toContainText('Version 2');

    await newSession(page);
    await expect(page.getByTestId('pinned-version')).toHaveText('v2');
    await page.locator(`[data-testid="session-item"][data-session-id="${firstId}"] button`).first().click();
    await expect(page.getByTestId('pinned-version')).toHaveText('v1');
  });

  test('data survives a host restart', async ({ page, app }, testInfo) => {
    await createAgentThroughUi(page, { name: 'Persistent agent', description: 'Still here after a restart.' });
    await page.getByTestId('agent-header').getByRole('button', { name: 'Edit', exact: true }).click();
    await editor(page).getByRole('textbox', { name: 'Description' }).fill('Still here after a restart, at version 2.');
    await editor(page).getByTestId('save-agent').click();
    await expect(editor(page)).toBeHidden();
    await newSession(page);
    const { landmarks, data } = await importGeneratedSession(page, testInfo);
    // One agent in the trash, to check that state survives too.
    await createAgentThroughUi(page, { name: 'Trashed agent' });
    await page.getByTestId('agent-header').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(toast(page, '“Trashed agent” moved to trash')).toBeVisible();

    const restarted = await app.restart();

    await expect(agentRow(restarted, 'Persistent agent')).toBeVisible();
    await expect(agentRow(restarted, DEEP_SESSION.agentName!)).toBeVisible();
    await expect(agentRow(restarted, 'Trashed agent')).toHaveCount(0);
    await agentRow(restarted, 'Persistent agent').getByRole('button').first().click();
    await expect(restarted.getByTestId('agent-header')).toContainText('Version 2');
    await expect(restarted.getByTestId('agent-header')).toContainText('Still here after a restart, at version 2.');
    await expect(restarted.getByTestId('session-item')).toHaveCount(1);

    // The imported session: same tree, same content, search still finds the deep node.
    await agentRow(restarted, DEEP_SESSION.agentName!).getByRole('button').first().click();
    await restarted.getByTestId('session-item').filter({ hasText: data.session.name }).getByRole('button').first().click();
    await waitForLogLoaded(restarted, DEEP_SESSION.nodes);
    await expect(logRow(restarted, landmarks.firstNode.id)).toContainText(landmarks.firstNode.content);
    const search = restarted.getByRole('searchbox', { name: 'Search in session' });
    await search.fill(landmarks.needle);
    await search.press('Enter');
    await expect(restarted.getByTestId('log-search-count')).toHaveText('1 of 1');
    await expect(logRow(restarted, landmarks.needleNodeId)).toBeInViewport();

    await restarted.getByTestId('trash-tab').click();
    await expect(agentRow(restarted, 'Trashed agent')).toBeVisible();
  });
});
