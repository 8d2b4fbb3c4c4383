import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { images, launchBrowser, PageProbe, scrollThrough, settleImages, stubEmbeds } from './harness/browser.ts'
import { articles, originStats, site } from './site.ts'

const SCREENSHOTS = join(import.meta.dirname, '../../test-results/e2e/screenshots')
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, mobile: { width: 390, height: 844 } }
/** Screenshots cover the top of the page: enough to judge the reading, small enough to look at. */
const SHOT_HEIGHT = 2400

let browser: { context: BrowserContext; close(): Promise<void> }

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  browser = await launchBrowser({ viewport: VIEWPORTS.desktop })
  await stubEmbeds(browser.context)
  // A reader's cookie for this site, which must never reach an image host.
  await browser.context.addCookies([{ name: 'session', value: 'reader-secret', url: site().url }])
})
afterAll(() => browser?.close())

describe('articles in Chromium', () => {
  it('include the seed and at least 20 corpus posts', () => {
    expect(articles().filter((p) => p.seed)).toHaveLength(1)
    expect(articles().filter((p) => p.kind === 'corpus').length).toBeGreaterThanOrEqual(20)
  })

  for (const article of articles()) {
    it(`${article.seed ? 'seed' : article.kind} ${article.file}`, async () => {
      const probe = await PageProbe.create(browser.context, site().url)
      const { page } = probe
      try {
        await probe.open(`${site().url}${article.url}`)
        probe.settled()
        await scrollThrough(page)
        await settleImages(page)

        const shown = await images(page)
        const broken = shown.filter((img) => !img.complete || img.naturalWidth === 0)
        const notProxied = shown.filter((img) => !img.currentSrc.startsWith(`${site().url}/img/`))
        expect(broken, 'images that did not load').toEqual([])
        expect(notProxied, 'images not served through /img/').toEqual([])
        if (article.seed) expect(shown.length).toBeGreaterThan(0)

        const report = probe.findings()
        expect(report.consoleErrors, 'console errors').toEqual([])
        expect(report.failedRequests, 'failed requests').toEqual([])
        expect(report.offsiteRequests, 'requests off the site').toEqual([])
        expect(report.cspViolations, 'CSP violations').toEqual([])
        expect([...report.dialogs, ...report.executions, ...report.navigations], 'script activity').toEqual([])

        await screenshots(page, article.slug)
      } finally {
        await probe.close()
      }
    })
  }

  it("never let a reader's cookies or this site's Referer reach the image origin", async () => {
    const stats = await originStats()
    expect(stats.requests).toBeGreaterThan(0)
    expect(stats.leakedHeaders).toEqual([])
    expect(stats.refused, `refused for their Referer: ${JSON.stringify(stats.referers)}`).toBe(0)
  })
})

async function screenshots(page: Page, slug: string) {
  const name = slug.slice(0, 60)
  for (const [width, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport)
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      const height = Math.min(SHOT_HEIGHT, await page.evaluate(() => document.documentElement.scrollHeight))
      await page.screenshot({
        path: join(SCREENSHOTS, `${name}-${width}-${colorScheme}.png`),
        fullPage: true,
        clip: { x: 0, y: 0, width: viewport.width, height },
      })
    }
  }
}
