import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';

declare const document: unknown; // axe runs in the page; this project compiles without the DOM library

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One line per violation: rule, impact, what it means and (up to three of) the nodes it found. */
export type AxeFinding = string;

/**
 * Puts axe-core into every page of the context as Chromium creates it. Init scripts are exempt from
 * the pages' CSP (`script-src 'self'`), so the audited pages keep their real policy, and the 0.5 MB
 * source crosses the DevTools protocol once per context instead of once per page.
 */
export async function installAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: AXE_SOURCE });
}

/** axe-core's full default rule set (WCAG 2.x A/AA and best practices) on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) throw new Error('axe-core is not in the page: installAxe(context) first');
  const violations = await page.evaluate(async () => {
    type Axe = { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown[] }[] }[] }> };
    const result = await (globalThis as unknown as { axe: Axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 3).join(', ')}${v.targets.length > 3 ? ` and ${v.targets.length - 3} more` : ''}`);
}
