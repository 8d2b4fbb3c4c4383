import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, PageProbe, type PageReport } from './harness/browser.ts'
import { seedPost, site } from './site.ts'

/**
 * A reader's way through the site: home → next page, article → its tag's
 * page, and the feeds a page announces. Each page must be clean (no console
 * errors, failed requests or CSP reports) and each of its links must lead to
 * a page that answers.
 */
let browser: { context: BrowserContext; close(): Promise<void> }
const checkedLinks = new Map<string, number>()

beforeAll(async () => {
  browser = await launchBrowser({ viewport: { width: 1280, height: 800 } })
})
afterAll(() => browser?.close())

/** Opens `path` in a fresh tab, lets `look` read it, and requires the page to have been clean. */
async function visit<T>(path: string, look: (page: Page) => Promise<T>): Promise<T> {
  const probe = await PageProbe.create(browser.context, site().url)
  try {
    await probe.open(`${site().url}${path}`)
    const report = probe.findings()
    probe.settled()
    const result = await look(probe.page)
    expectClean(report)
    return result
  } finally {
    await probe.close()
  }
}

function expectClean(report: PageReport) {
  expect(report.consoleErrors, 'console errors').toEqual([])
  expect(report.failedRequests, 'failed requests').toEqual([])
  expect(report.cspViolations, 'CSP violations').toEqual([])
  expect([...report.executions, ...report.dialogs, ...report.navigations], 'script activity').toEqual([])
}

/** Same-site links of the page, as absolute paths. */
function links(page: Page, selector = 'a[href]'): Promise<string[]> {
  return page.$$eval(
    selector,
    (anchors, origin) =>
      anchors
        .map((a) => (a as HTMLAnchorElement).href)
        .filter((href) => href.startsWith(`${origin}/`))
        .map((href) => href.slice(origin.length)),
    site().url,
  )
}

/** Every link answers 200 (redirects followed), each distinct URL fetched once. */
async function expectLinksAnswer(paths: string[]) {
  const failures: string[] = []
  for (const path of new Set(paths.map((p) => p.split('#')[0]))) {
    if (!checkedLinks.has(path)) {
      const response = await fetch(`${site().url}${path}`)
      await response.arrayBuffer()
      checkedLinks.set(path, response.status)
    }
    if (checkedLinks.get(path) !== 200) failures.push(`${path}: ${checkedLinks.get(path)}`)
  }
  expect(failures).toEqual([])
}

describe('site navigation in Chromium', () => {
  it('the home page lists the newest posts and links to a second page', async () => {
    const newest = [...site().posts].sort((a, b) => b.slug.localeCompare(a.slug))
    const { inMain, next, all } = await visit('/', async (page) => ({
      inMain: await links(page, 'main a[href]'),
      next: await links(page, 'a[rel~="next"]'),
      all: await links(page),
    }))
    expect(inMain).toContain(seedPost().url)
    expect(inMain.some((href) => newest.slice(0, 5).some((p) => p.url === href))).toBe(true)
    expect(next).toContain('/page/2/')
    await expectLinksAnswer(all)
  })

  it('page 2 continues the listing and links back', async () => {
    const { prev, inMain, all } = await visit('/page/2/', async (page) => ({
      prev: await links(page, 'a[rel~="prev"]'),
      inMain: await links(page, 'main a[href]'),
      all: await links(page),
    }))
    expect(prev).toContain('/')
    expect(inMain.filter((href) => /^\/\d{4}\/\d{2}\/\d{2}\//.test(href)).length).toBeGreaterThan(10)
    await expectLinksAnswer(all)
  })

  it("the seed and the tag index lead to the seed's tag page, which lists the seed", async () => {
    const seed = seedPost()
    const tagPath = `/tags/${encodeURIComponent(seed.tags[0])}/`
    expect(await visit(seed.url, (page) => links(page, 'main a[href]'))).toContain(tagPath)
    expect(await visit('/tags/', (page) => links(page, 'main a[href]'))).toContain(tagPath)
    const { listed, all } = await visit(tagPath, async (page) => ({
      listed: await links(page, 'main a[href]'),
      all: await links(page),
    }))
    expect(listed).toContain(seed.url)
    await expectLinksAnswer(all)
  })

  it("the header's search form on an article leads to results whose link opens the article", async () => {
    const seed = seedPost()
    // A word of the seed's title, typed as a reader would.
    const query = seed.title.split(/\s+/).find((word) => /\p{L}{2}/u.test(word))!
    const probe = await PageProbe.create(browser.context, site().url)
    try {
      await probe.open(`${site().url}${seed.url}`)
      probe.settled()
      const field = probe.page.locator('header search input[name="q"]')
      await field.fill(query)
      await Promise.all([probe.page.waitForURL(/\/search\?q=/), field.press('Enter')])
      expect(new URL(probe.page.url()).searchParams.get('q')).toBe(query)
      const results = await links(probe.page, 'main ol.results a.title')
      expect(results).toContain(seed.url)
      const marks = await probe.page.$$eval('main ol.results mark', (els) => els.length)
      expect(marks).toBeGreaterThan(0)
      await Promise.all([
        probe.page.waitForURL(`${site().url}${seed.url}`),
        probe.page.locator(`main ol.results a.title[href="${seed.url}"]`).click(),
      ])
      expect(await probe.page.locator('main h1').first().textContent()).toBe(seed.title)
      // Two pages reached by the reader's own clicks: clean apart from those navigations.
      const report = probe.findings()
      for (const kind of ['consoleErrors', 'failedRequests', 'cspViolations', 'dialogs', 'executions'] as const)
        expect(report[kind], kind).toEqual([])
    } finally {
      await probe.close()
    }
  })

  it('has an icon where browsers look for one, so no page logs a 404 for it', async () => {
    const declared = await visit('/', (page) =>
      page.$$eval('link[rel~="icon"]', (els) => els.map((el) => (el as HTMLLinkElement).href)),
    )
    const icon = declared[0] ?? `${site().url}/favicon.ico`
    if (icon.startsWith('data:')) return
    const response = await fetch(icon)
    await response.arrayBuffer()
    expect(response.status, icon).toBe(200)
  })

  it('the feeds every page announces parse and link to articles that answer', async () => {
    const announced = await visit('/', (page) =>
      page.$$eval('link[rel="alternate"]', (els) =>
        els.map((el) => ({ type: el.getAttribute('type'), href: (el as HTMLLinkElement).href })),
      ),
    )
    const atom = announced.find((feed) => feed.type === 'application/atom+xml')
    const json = announced.find((feed) => feed.type === 'application/feed+json')
    expect(atom, 'an Atom feed announced').toBeDefined()
    expect(json, 'a JSON Feed announced').toBeDefined()

    const atomText = await (await fetch(atom!.href)).text()
    const parser = await browser.context.newPage()
    try {
      const entries = await parser.evaluate((xml) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml')
        if (doc.querySelector('parsererror')) return null
        return Array.from(doc.getElementsByTagName('entry')).map(
          (entry) => entry.querySelector('link[rel="alternate"], link:not([rel])')?.getAttribute('href') ?? '',
        )
      }, atomText)
      expect(entries, 'the Atom feed is well-formed XML').not.toBeNull()
      expect(entries!.length).toBeGreaterThan(0)
      await expectLinksAnswer(entries!.map((href) => new URL(href, site().url).pathname))
    } finally {
      await parser.close()
    }

    const feed = (await (await fetch(json!.href)).json()) as { version: string; items: { url: string }[] }
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.items.length).toBeGreaterThan(0)
    await expectLinksAnswer(feed.items.map((item) => new URL(item.url).pathname))
  })
})
