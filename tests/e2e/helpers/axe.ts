import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeReport {
  violations: string[];
  /** Rules axe could not decide ("needs review"), with where. */
  incomplete: string[];
  /** Whether target-size (off by default in axe) really ran. */
  targetSizeRan: boolean;
}

/** Runs axe-core (shadow DOM included, as it is by default) on the page as it is now. */
export async function runAxe(page: Page): Promise<AxeReport> {
  // options() replaces every option, runOnly included, so it must come before withTags().
  const results = await new AxeBuilder({ page })
    .options({ rules: { 'target-size': { enabled: true } } })
    .withTags(AXE_TAGS)
    .analyze();
  const describe = (v: (typeof results.violations)[number]) => {
    const nodes = v.nodes
      .map((n) => `    at ${JSON.stringify(n.target)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
      .join('\n');
    return `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${nodes}`;
  };
  const ran = [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable];
  return {
    violations: results.violations.map(describe),
    incomplete: results.incomplete.map(describe),
    targetSizeRan: ran.some((r) => r.id === 'target-size'),
  };
}

/**
 * Checks the page now with axe, as a soft expectation so one run reports every state
 * that fails; violations are printed and attached to the report.
 */
export async function checkAxe(page: Page, state: string, testInfo: TestInfo): Promise<void> {
  const report = await runAxe(page);
  expect.soft(report.targetSizeRan, 'the target-size rule ran').toBe(true);
  if (report.violations.length > 0) {
    const text = `axe violations on "${state}":\n${report.violations.join('\n')}`;
    console.log(text);
    await testInfo.attach(`axe-${state}`, { body: text, contentType: 'text/plain' });
  }
  if (report.incomplete.length > 0) {
    await testInfo.attach(`axe-needs-review-${state}`, { body: report.incomplete.join('\n'), contentType: 'text/plain' });
    if (process.env.AXE_VERBOSE) console.log(`axe needs review on "${state}":\n${report.incomplete.join('\n')}`);
  }
  expect.soft(report.violations, `axe violations on "${state}"`).toEqual([]);
}
