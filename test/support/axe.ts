import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

declare const document: unknown; // axe runs in the page; this project compiles without the DOM library

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One line per violation: rule, impact, what it means and (up to three of) the nodes it found. */
export type AxeFinding = string;

/**
 * axe-core's full default rule set (WCAG 2.x A/AA and best practices) on the page as it is now.
 * The page's CSP allows only its own scripts: the context must be created with `bypassCSP: true`.
 */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    type Axe = { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown[] }[] }[] }> };
    const result = await (globalThis as unknown as { axe: Axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 3).join(', ')}${v.targets.length > 3 ? ` and ${v.targets.length - 3} more` : ''}`);
}
