// Accessibility check with axe-core: WCAG 2.x A/AA rules on the current page. Serious and
// critical violations fail the test with a readable list (soft, so one run reports every view);
// the full result is attached for review.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

/** Serious and critical violations on the page, one readable entry per rule. */
export async function seriousA11yViolations(page: Page, testInfo: TestInfo, label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  await testInfo.attach(`axe-${label}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return blocking.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`)
        .join('\n')}`,
  );
}

export async function expectNoSeriousA11yViolations(page: Page, testInfo: TestInfo, label: string): Promise<void> {
  expect.soft(await seriousA11yViolations(page, testInfo, label), `axe: serious/critical violations in ${label}`).toEqual([]);
}
