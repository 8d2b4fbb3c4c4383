import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core'
import type { Page } from 'playwright-core'

/** axe-core's browser build, read once and evaluated in each page by the test (the site itself runs no script). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

/** The rules whose outcome depends on the colours, run again in the other colour scheme. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block']

/** One rule's violation on one page. */
export interface Violation {
  rule: string
  impact: NonNullable<ImpactValue>
  help: string
  /** CSS selectors of the offending elements (at most 5), and how many there were. */
  targets: string[]
  nodes: number
}

export interface AxeOutcome {
  violations: Violation[]
  /** Rules that passed: proof that axe ran over the page at all. */
  passes: number
}

/**
 * Runs axe in the page's main frame. The source is evaluated over the DevTools
 * protocol, which page CSP does not govern, so the page keeps the
 * `script-src 'none'` readers get. Embedded players are stand-ins here and not
 * ours, so frames are not entered.
 */
export async function runAxe(page: Page, rules?: string[]): Promise<AxeOutcome> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE)
  const options: RunOptions = {
    runOnly: rules ? { type: 'rule', values: rules } : { type: 'tag', values: AXE_TAGS },
    resultTypes: ['violations'],
    iframes: false,
  }
  const results = (await page.evaluate(
    (opts) =>
      (window as unknown as { axe: { run(c: Document, o: unknown): Promise<unknown> } }).axe.run(document, opts),
    options,
  )) as AxeResults
  return {
    passes: results.passes.length,
    violations: results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'minor',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((node) => node.target.join(' ')),
      nodes: v.nodes.length,
    })),
  }
}

/** Violations that fail the suite. */
export function blocking(violations: Violation[]): Violation[] {
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')
}
