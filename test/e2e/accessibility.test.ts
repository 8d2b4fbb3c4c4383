import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corpusDir, postFiles } from '../support/corpus.ts'
import { blocking, COLOUR_RULES, runAxe, type Violation } from './harness/axe.ts'
import { launchBrowser, stubEmbeds } from './harness/browser.ts'
import { stripedPng } from './harness/png.ts'
import { allArticles, seedPost, site } from './site.ts'

/**
 * axe-core (WCAG 2.x A/AA and best practices) over every article the site
 * serves — the whole corpus when ../shared is there — the listings, tag and
 * category pages and the error page: no critical or serious violation, in the
 * light and the dark colour scheme. Moderate and minor findings go to
 * test-results/e2e/accessibility.json and are summarised at the end.
 */
const REPORT = join(import.meta.dirname, '../../test-results/e2e/accessibility.json')

interface Checked {
  name: string
  path: string
  status: number
}

type Scheme = 'light' | 'dark'
const found: { page: string; scheme: Scheme; violations: Violation[] }[] = []
/** Milliseconds each page took: open, axe in both schemes. */
const timings: number[] = []

let browser: { context: BrowserContext; close(): Promise<void> }

beforeAll(async () => {
  browser = await launchBrowser({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  await stubEmbeds(browser.context)
  // axe judges markup and text colours, not pictures: images are answered here, sparing the proxy
  // (articles.test.ts checks that they load).
  const picture = stripedPng(64, 48, 1)
  await browser.context.route(`${site().url}/img/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: picture }),
  )
})
afterAll(async () => {
  await browser?.close()
  writeReport()
})

/** Opens `path` in a fresh tab, checks its status, and hands the page to `look`. */
async function withPage<T>(path: string, status: number, look: (page: Page) => Promise<T>): Promise<T> {
  const page = await browser.context.newPage()
  try {
    const response = await page.goto(`${site().url}${path}`, { waitUntil: 'load' })
    expect(response?.status(), path).toBe(status)
    return await look(page)
  } finally {
    await page.close()
  }
}

describe('axe-core in Chromium', () => {
  it('runs under the pages’ own CSP and catches what it should', async () => {
    await withPage('/no-such-page/', 404, async (page) => {
      // Markup the site never serves, put into the page the reader gets: axe must see it.
      await page.evaluate(() =>
        document
          .querySelector('main')!
          .insertAdjacentHTML('beforeend', '<img src="/favicon.svg"><a href="/"><img src="/favicon.svg"></a>'),
      )
      const { violations, passes } = await runAxe(page)
      expect(passes).toBeGreaterThan(10)
      expect(blocking(violations).map((v) => v.rule)).toEqual(expect.arrayContaining(['image-alt', 'link-name']))
    })
  })

  it('reaches the whole corpus', ({ skip }) => {
    if (!existsSync(corpusDir)) skip(`${corpusDir} is missing: only the site's own posts (content/posts) are checked`)
    const served = new Set(allArticles().map((post) => post.file))
    expect(postFiles(corpusDir).filter((name) => !served.has(name))).toEqual([])
  })

  for (const { name, path, status } of checkedPages()) {
    it.concurrent(name, async ({ expect }) => {
      const started = performance.now()
      await withPage(path, status, async (page) => {
        const light = await runAxe(page)
        expect(light.passes, 'axe found nothing to check').toBeGreaterThan(0)
        await page.emulateMedia({ colorScheme: 'dark' })
        const dark = await runAxe(page, COLOUR_RULES)
        found.push({ page: path, scheme: 'light', violations: light.violations })
        found.push({ page: path, scheme: 'dark', violations: dark.violations })
        timings.push(performance.now() - started)
        for (const [scheme, { violations }] of Object.entries({ light, dark }))
          expect(blocking(violations).map(describeViolation), scheme).toEqual([])
      })
    })
  }

  it('offers a visible skip link that moves the focus to the article', async () => {
    await withPage(seedPost().url, 200, async (page) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme })
        // Afresh, without the #main the skip link added (a fragment moves the focus start).
        await page.goto(`${site().url}${seedPost().url}`)
        await page.keyboard.press('Tab')
        const skip = await page.evaluate(() => {
          const el = document.activeElement as HTMLAnchorElement
          const box = el.getBoundingClientRect()
          const style = getComputedStyle(el)
          return {
            href: el.getAttribute('href'),
            text: el.textContent,
            onScreen: box.left >= 0 && box.top >= 0 && box.right <= innerWidth && box.width > 0,
            outline: `${style.outlineStyle} ${style.outlineWidth}`,
          }
        })
        expect(skip, colorScheme).toMatchObject({ href: '#main', text: 'Skip to content', onScreen: true })
        expect(skip.outline, `focus outline (${colorScheme})`).toMatch(/^(solid|auto|dotted|dashed) [2-9]/)
        await page.keyboard.press('Enter')
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')
        // The next Tab lands in the article, not back in the page header.
        await page.keyboard.press('Tab')
        expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true)
      }
    })
  })
})

/** Every article, the listings, a year and a month, tag and category pages, and the error page. */
function checkedPages(): Checked[] {
  const posts = allArticles()
  const newest = [...posts].sort((a, b) => b.url.localeCompare(a.url))[0]
  const [, year, month] = newest.url.split('/')
  const sample = <T>(items: T[], n: number) =>
    items.filter((_, i) => i % Math.max(1, Math.floor(items.length / n)) === 0).slice(0, n)
  const tags = sample([...new Set(posts.flatMap((post) => post.tags))].sort(), 6)
  const categories = sample([...new Set(posts.flatMap((post) => post.categories))].sort(), 2)
  const listings = [
    '/',
    '/page/2/',
    '/tags/',
    '/categories/',
    '/archive/',
    `/${year}/`,
    `/${year}/${month}/`,
    ...tags.map((tag) => `/tags/${encodeURIComponent(tag)}/`),
    ...categories.map((category) => `/categories/${encodeURIComponent(category)}/`),
  ]
  return [
    ...posts.map((post) => ({ name: `${post.kind} ${post.file}`, path: post.url, status: 200 })),
    ...listings.map((path) => ({ name: `listing ${decodeURIComponent(path)}`, path, status: 200 })),
    { name: 'not found', path: '/no-such-page/', status: 404 },
  ]
}

function describeViolation(v: Violation): string {
  return `${v.rule} (${v.impact}, ${v.nodes}×): ${v.help} — ${v.targets.join(', ')}`
}

/** Every finding per page, and per rule how many pages and elements had it. */
function writeReport(): void {
  const byRule = new Map<string, { impact: string; schemes: Set<Scheme>; pages: Set<string>; nodes: number }>()
  for (const { page, scheme, violations } of found) {
    for (const v of violations) {
      const entry = byRule.get(v.rule) ?? { impact: v.impact, schemes: new Set(), pages: new Set(), nodes: 0 }
      entry.schemes.add(scheme)
      entry.pages.add(page)
      entry.nodes += v.nodes
      byRule.set(v.rule, entry)
    }
  }
  const summary = [...byRule]
    .map(([rule, e]) => ({ rule, impact: e.impact, schemes: [...e.schemes], pages: e.pages.size, nodes: e.nodes }))
    .sort((a, b) => b.pages - a.pages)
  const pages = new Set(found.map((f) => f.page)).size
  const sorted = [...timings].sort((a, b) => a - b)
  const seconds = (ms = 0) => `${(ms / 1000).toFixed(1)} s`
  const time = `per page: median ${seconds(sorted[sorted.length >> 1])}, max ${seconds(sorted.at(-1))}`
  mkdirSync(join(REPORT, '..'), { recursive: true })
  writeFileSync(
    REPORT,
    JSON.stringify({ pages, summary, findings: found.filter((f) => f.violations.length > 0) }, null, 1),
  )
  console.log(
    `axe: ${pages} pages checked (${time}); violations by rule (pages, elements):\n${
      summary
        .map((s) => `  ${s.rule} [${s.impact}, ${s.schemes.join('+')}]: ${s.pages} pages, ${s.nodes}`)
        .join('\n') || '  none'
    }\nreport: ${REPORT}`,
  )
}
