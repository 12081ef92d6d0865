import { readFileSync } from 'node:fs';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** What fails a state: the impacts axe gives to barriers (contrast, broken lists, missing names). */
const FAILING_IMPACTS: ImpactValue[] = ['serious', 'critical'];

interface AxeWindow {
  axe?: { run(context: unknown, options: RunOptions): Promise<AxeResults> };
  document: unknown;
}

/**
 * Runs axe-core on the page as it is and returns its serious and critical violations, one readable
 * line per element: impact, rule, state, target, then axe's summary of what to fix.
 *
 * The source is evaluated through the DevTools protocol, which the page's CSP (script-src 'self',
 * Trusted Types) does not govern, so the page keeps its real policy.
 */
export async function axeViolations(page: Page, state: string): Promise<string[]> {
  const loaded = await page.evaluate(() => (globalThis as unknown as AxeWindow).axe !== undefined);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    async (options) => {
      const browserWindow = globalThis as unknown as AxeWindow;
      return browserWindow.axe!.run(browserWindow.document, options);
    },
    { resultTypes: ['violations'] } satisfies RunOptions,
  );
  return results.violations.flatMap((violation) =>
    violation.nodes
      .filter((node) => FAILING_IMPACTS.includes(node.impact ?? violation.impact ?? null))
      .map((node) => {
        const impact = node.impact ?? violation.impact;
        const summary = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ');
        return `${impact} ${violation.id} in "${state}" at ${node.target.join(' ')}: ${violation.help}. ${summary}`;
      }),
  );
}
