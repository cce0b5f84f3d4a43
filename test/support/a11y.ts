import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle (dev dependency; docs/decisions/020-accessibility-checks.md). */
const AXE = join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

let source: string | undefined;
const axeSource = (): string => (source ??= readFileSync(AXE, 'utf8'));

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules axe tags with these. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  /** Each failing node's CSS selector path (frames joined with " >>> "). */
  targets: string[];
}

/**
 * Runs axe-core on the whole document of `page` with the WCAG 2.x A/AA rules and answers its
 * violations (the script is injected once per document; a navigation needs it again).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the portal's Content-Security-Policy (script-src
  // 'self') refuses an injected <script> (page.addScriptTag), rightly.
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.evaluate(`${axeSource()}\n;true`);
  return (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA_TAGS)} },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => [].concat(n.target).map(String).join(' >>> ')),
    }));
  })()`)) as AxeViolation[];
}

/** The violations a release may not have: serious and critical ones. */
export function blocking(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Polls the page expression `expr` (a string: the CSP forbids eval, not DevTools) until it is truthy. */
export async function until(page: Page, expr: string, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(expr)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
