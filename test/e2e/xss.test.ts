import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, stubEmbeds } from './harness/browser.ts'
import { inspectPayloadPage } from './harness/xss.ts'
import { site, xssPosts } from './site.ts'
import { XSS_VECTORS } from './xss-vectors.ts'

/**
 * Every payload post, opened twice: as readers get it (the page's CSP
 * enforced), and with CSP bypassed, so the sanitiser alone must hold — defence
 * in depth means either layer stops the attack by itself.
 */
const MODES = { 'CSP enforced': false, 'CSP bypassed': true } as const

describe.each(Object.entries(MODES))('XSS payload posts in Chromium, %s', (_mode, bypassCSP) => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  beforeAll(async () => {
    browser = await launchBrowser({ bypassCSP, viewport: { width: 1024, height: 768 } })
    await stubEmbeds(browser.context)
  })
  afterAll(() => browser?.close())

  it(`cover at least 100 payloads`, () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(100)
    expect(xssPosts().length).toBeGreaterThanOrEqual(XSS_VECTORS.length)
  })

  // Several tabs at once: most of a page's time is waiting (load, the reader's pauses).
  for (const { name, path } of payloadPages()) {
    it.concurrent(name, async ({ expect }) => {
      const { report, markup } = await inspectPayloadPage(browser.context, site().url, `${site().url}${path}`)
      expect(report.dialogs, 'dialogs').toEqual([])
      expect(report.executions, 'script executions').toEqual([])
      expect(report.navigations, 'navigations away').toEqual([])
      expect(report.offsiteRequests, 'requests off the site').toEqual([])
      expect(markup, 'dangerous markup in the DOM the browser built').toEqual([])
    })
  }
})

/** The payload posts, and the listings that show the payloads in metadata (tags, categories, titles). */
function payloadPages(): { name: string; path: string }[] {
  const posts = xssPosts().map((post) => ({ name: `${post.file}: ${post.vector}`, path: post.url }))
  const metadata = xssPosts().filter((post) => post.vector?.startsWith('metadata'))
  const terms = new Set(
    metadata.flatMap((post) => [
      ...post.tags.map((tag) => `/tags/${encodeURIComponent(tag)}/`),
      ...post.categories.map((category) => `/categories/${encodeURIComponent(category)}/`),
    ]),
  )
  const listings = ['/', '/tags/', '/categories/', '/archive/', ...terms].map((path) => ({
    name: `listing ${path}`,
    path,
  }))
  return [...posts, ...listings]
}
