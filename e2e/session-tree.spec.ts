// A deep session (300 nodes, depth 6: tool calls, nested sub-agent runs, errors) imported
// through the UI: how each kind renders, collapse and expand, keyboard navigation, search that
// reveals a hidden nested node, and export / re-import round trips.
import type { LogNode } from '../src/shared/domain';
import { expect, test } from './fixtures';
import { DEEP_SESSION, exportOpenSession, importGeneratedSession, withOrdinalIds } from './support/sessions';
import { importFileThroughUi, logRow, waitForLogLoaded } from './support/ui';

test.describe('session log tree', () => {
  test('imported deep session renders each kind distinctly', async ({ page }, testInfo) => {
    const { landmarks, data } = await importGeneratedSession(page, testInfo);
    const tree = page.getByRole('tree', { name: `Log of ${data.session.name}` });
    await expect(tree).toBeVisible();
    await expect(tree).toHaveAttribute('data-row-count', String(DEEP_SESSION.nodes));

    const { byKind } = landmarks;
    const row = (node: LogNode | undefined) => {
      expect(node, 'the generator plants every kind').toBeDefined();
      return logRow(page, node!.id);
    };

    for (const [kind, node] of Object.entries(byKind)) {
      const r = row(node);
      await expect(r).toHaveAttribute('data-kind', kind);
      await expect(r).toHaveAttribute('role', 'treeitem');
      await expect(r).toHaveAttribute('aria-level', String(node!.depth + 1));
    }

    // User message: its text.
    await expect(row(byKind.user_message)).toContainText(byKind.user_message!.content);

    // Assistant message: Markdown rendered to HTML (heading, emphasis, list, code block). A step
    // that thought first shows its text after its thinking, in its answer row.
    const step = byKind.assistant_message!;
    const firstChild = data.nodes.filter((n) => n.parentId === step.id).sort((a, b) => a.seq - b.seq)[0];
    const assistant = firstChild?.kind === 'thought' ? page.locator(`[data-testid="log-answer"][data-answer-of="${step.id}"]`) : row(step);
    await expect(assistant.locator('.markdown h2')).toContainText('Findings on');
    await expect(assistant.locator('.markdown strong').first()).toBeVisible();
    await expect(assistant.locator('.markdown li')).toHaveCount(2);
    await expect(assistant.locator('.markdown pre code')).toContainText('await load(');
    await expect(assistant).not.toContainText('## Findings');

    // Thought: collapsible.
    const thought = row(byKind.thought);
    const thinkingToggle = thought.getByRole('button', { name: 'Show thinking' });
    await expect(thinkingToggle).toHaveAttribute('aria-expanded', 'false');
    await thinkingToggle.click();
    await expect(thought.getByRole('button', { name: 'Hide thinking' })).toHaveAttribute('aria-expanded', 'true');

    // Tool call: a card with its tool name and arguments as formatted JSON.
    const action = row(byKind.action);
    await expect(action.locator('.log-tool-name')).toHaveText(byKind.action!.toolName!);
    await expect(action.locator('.json-label').first()).toHaveText('Arguments');
    await expect(action.locator('pre.json').first()).toContainText(JSON.stringify(byKind.action!.toolArgs, null, 2).split('\n')[1]!.trim());

    // Tool result.
    const observation = row(byKind.observation);
    await expect(observation.locator('.json-label')).toHaveText('Output');
    await expect(observation.locator('pre.json')).toContainText('"ok": true');

    // Error: marked as such, with its message and status.
    const error = row(byKind.error);
    await expect(error).toHaveAttribute('data-status', 'error');
    await expect(error.getByRole('note')).toContainText(byKind.error!.content);
  });

  test('collapse and expand a subtree, and everything', async ({ page }, testInfo) => {
    const { landmarks } = await importGeneratedSession(page, testInfo);
    const tree = page.getByTestId('log-tree');
    const parent = logRow(page, landmarks.parentRoot.id);
    const child = logRow(page, landmarks.parentRootFirstChildId);
    await expect(parent).toHaveAttribute('aria-expanded', 'true');
    await expect(child).toBeVisible();

    // The caret collapses one subtree: its descendants leave the tree, the count says so.
    await parent.locator('.log-caret').click();
    await expect(parent).toHaveAttribute('aria-expanded', 'false');
    await expect(child).toHaveCount(0);
    await expect(parent.locator('.log-hidden-count')).toHaveText(/^\d+ hidden$/);
    const hidden = Number((await parent.locator('.log-hidden-count').textContent())!.split(' ')[0]);
    expect(hidden).toBeGreaterThan(0);
    await expect(tree).toHaveAttribute('data-row-count', String(DEEP_SESSION.nodes - hidden));

    await parent.locator('.log-caret').click();
    await expect(parent).toHaveAttribute('aria-expanded', 'true');
    await expect(child).toBeVisible();
    await expect(tree).toHaveAttribute('data-row-count', String(DEEP_SESSION.nodes));

    // Collapse all leaves only the roots; expand all brings every row back.
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await expect(tree).toHaveAttribute('data-row-count', String(landmarks.rootCount));
    await expect(child).toHaveCount(0);
    await page.getByRole('button', { name: 'Expand all' }).click();
    await expect(tree).toHaveAttribute('data-row-count', String(DEEP_SESSION.nodes));
    await expect(child).toBeVisible();
  });

  test('keyboard: arrows, Enter, Home and End', async ({ page }, testInfo) => {
    const { landmarks, data } = await importGeneratedSession(page, testInfo);
    const nodes = data.nodes;
    const first = logRow(page, nodes[0]!.id);
    await first.click();
    await expect(first).toBeFocused();
    await expect(first).toHaveAttribute('aria-selected', 'true');

    // Down moves to the next row in tree order (the first turn's assistant message).
    await page.keyboard.press('ArrowDown');
    const second = logRow(page, nodes[1]!.id);
    await expect(second).toBeFocused();
    await expect(second).toHaveAttribute('aria-selected', 'true');
    await expect(first).toHaveAttribute('aria-selected', 'false');

    // Left collapses the focused parent, Right expands it, Right again enters its first child.
    expect(nodes[1]!.id).toBe(landmarks.parentRoot.id);
    await page.keyboard.press('ArrowLeft');
    await expect(second).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowRight');
    await expect(second).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowRight');
    const child = logRow(page, landmarks.parentRootFirstChildId);
    await expect(child).toBeFocused();
    // Left on a leaf goes back to its parent.
    await page.keyboard.press('ArrowLeft');
    await expect(second).toBeFocused();

    // Enter toggles the focused parent.
    await page.keyboard.press('Enter');
    await expect(second).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('Enter');
    await expect(second).toHaveAttribute('aria-expanded', 'true');

    // End jumps to the last row (scrolled into view), Home back to the first.
    await page.keyboard.press('End');
    const last = logRow(page, landmarks.lastNode.id);
    await expect(last).toBeFocused();
    await expect(last).toBeInViewport();
    await expect(last).toContainText(landmarks.lastNodeMarker);
    await page.keyboard.press('Home');
    await expect(first).toBeFocused();
    await expect(first).toBeInViewport();
    await page.keyboard.press('ArrowUp');
    await expect(first).toBeFocused();
  });

  test('search jumps to and reveals a nested node', async ({ page }, testInfo) => {
    const { landmarks } = await importGeneratedSession(page, testInfo);
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await expect(page.getByTestId('log-tree')).toHaveAttribute('data-row-count', String(landmarks.rootCount));
    const target = logRow(page, landmarks.needleNodeId);
    await expect(target).toHaveCount(0);

    const search = page.getByRole('searchbox', { name: 'Search in session' });
    await search.fill(landmarks.needle);
    await search.press('Enter');
    await expect(page.getByTestId('log-search-count')).toHaveText('1 of 1');

    // Every ancestor was expanded and the match is on screen, marked as the current match.
    await expect(target).toBeInViewport();
    await expect(target).toHaveClass(/is-match/);
    await expect(target).toContainText(landmarks.needle);
    await expect(target).toHaveAttribute('aria-level', String(DEEP_SESSION.maxDepth + 1));
    for (const id of landmarks.needleAncestorIds) await expect(logRow(page, id)).toHaveAttribute('aria-expanded', 'true');

    // A query with no match says so.
    await search.fill('no-such-text-anywhere');
    await search.press('Enter');
    await expect(page.getByTestId('log-search-count')).toHaveText('No matches');
  });

  test('export then re-import round-trips exactly', async ({ page, app }, testInfo) => {
    test.skip(app.target === 'electron', 'Electron saves exports through a native save dialog, not a page download');
    const { data: original } = await importGeneratedSession(page, testInfo);

    // Import -> export gives back the file we imported (only the export time differs).
    const first = await exportOpenSession(page);
    expect(first.fileName).toMatch(/\.json$/);
    expect({ ...first.data, exportedAt: original.exportedAt }).toEqual(original);

    // Importing the export again: this session exists, so the copy gets new ids; otherwise
    // the two documents are the same.
    await importFileThroughUi(page, first.path, `Imported session “${original.session.name}”`);
    await waitForLogLoaded(page, DEEP_SESSION.nodes);
    await expect(page.getByTestId('session-item')).toHaveCount(2);
    const second = await exportOpenSession(page);
    expect(second.data.session.id).not.toBe(original.session.id);
    expect(second.data.nodes).toHaveLength(original.nodes.length);
    const normalise = (doc: typeof original) => withOrdinalIds({ ...doc, exportedAt: null, session: { ...doc.session, id: 'session' } });
    expect(normalise(second.data)).toEqual(normalise(first.data));
  });
});
