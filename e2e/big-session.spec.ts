// The 100,000-node session: imported through the UI (a ~60 MB file), it opens with its first
// rows on screen, loads the rest, and scrolls to the very last node. Only the rows on screen
// exist in the DOM (the tree is virtualised).
import { expect, test } from './fixtures';
import { writeSessionFile } from './support/generate-session';
import { importFileThroughUi, logRow, waitForLogLoaded } from './support/ui';

const NODES = 100_000;

test.describe('large session', () => {
  // Generating, uploading, validating and storing 100,000 nodes takes ~40 s alone on a 2-core
  // box and over 2 minutes while the other worker runs its tests.
  test.setTimeout(480_000);

  test('a 100,000-node session imported through the UI opens and scrolls to the end', async ({ page }, testInfo) => {
    const file = testInfo.outputPath('session-100k.json');
    const { data, landmarks } = await writeSessionFile(file, {
      nodes: NODES,
      maxDepth: 8,
      seed: 100,
      chunks: false,
      validate: false,
      sessionName: 'Hundred thousand nodes',
      agentName: 'Load test agent',
    });

    await importFileThroughUi(page, file, `Imported session “${data.session.name}”`);
    await expect(page.getByTestId('session-title')).toHaveText(data.session.name);

    // Opens: the first rows are on screen (the rest may still be streaming in).
    const firstRow = logRow(page, landmarks.firstNode.id);
    await expect(firstRow).toBeInViewport({ timeout: 120_000 });
    await expect(firstRow).toContainText(landmarks.firstNode.content);

    const tree = await waitForLogLoaded(page, NODES, 300_000);
    await expect(tree).toHaveAttribute('data-row-count', String(NODES));
    // Virtualised: a screenful of rows in the DOM, not 100,000.
    expect(await page.getByTestId('log-row').count()).toBeLessThan(200);

    // Scrolling to the bottom shows the last node. Row heights are measured as they render, so
    // the total height settles while we scroll: keep pushing to the bottom until it is there.
    const scroller = page.getByTestId('log-tree-scroll');
    const last = logRow(page, landmarks.lastNode.id);
    await expect(async () => {
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(last).toBeInViewport({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(last).toContainText(landmarks.lastNodeMarker);
    expect(await page.getByTestId('log-row').count()).toBeLessThan(200);

    // And back to the top with the keyboard.
    await last.click();
    await page.keyboard.press('Home');
    await expect(firstRow).toBeFocused();
    await expect(firstRow).toBeInViewport();
  });
});
