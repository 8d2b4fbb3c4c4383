import type { BrowserContext, Page } from 'playwright-core'
import { EMBED_URL, PageProbe, type PageReport } from './browser.ts'

/** What a payload page did, and what dangerous markup the browser built from it. */
export interface PayloadFindings {
  report: PageReport
  markup: string[]
}

/** Opens a payload page in a fresh tab, provokes it like a reader would, and collects everything it tried. */
export async function inspectPayloadPage(
  context: BrowserContext,
  siteUrl: string,
  url: string,
): Promise<PayloadFindings> {
  const probe = await PageProbe.create(context, siteUrl)
  try {
    await probe.open(url)
    await provoke(probe.page)
    const report = probe.findings()
    probe.settled()
    return { report, markup: await dangerousMarkup(probe.page) }
  } finally {
    await probe.close()
  }
}

/** True when the page ran script, opened a dialog, went elsewhere or fetched from elsewhere. */
export function acted({ report }: PayloadFindings): boolean {
  return [report.dialogs, report.executions, report.navigations, report.offsiteRequests].some((list) => list.length > 0)
}

/**
 * What a reader does without meaning to: the pointer crosses the page, Tab
 * moves the focus. Input events only — nothing is evaluated in the page, so
 * every script compiled until now is the page's own.
 */
async function provoke(page: Page): Promise<void> {
  const { width, height } = page.viewportSize()!
  // One sweep down the reading column, where the article's elements are.
  for (let y = 10; y < height; y += height / 8) await page.mouse.move(width / 2, y, { steps: 2 })
  for (let i = 0; i < 6; i++) await page.keyboard.press('Tab')
  await page.mouse.wheel(0, height)
  // Long enough for refreshes, animations and transitions the payloads start.
  await page.waitForTimeout(300)
}

/**
 * Markup that could run script or leave the site once clicked, as the browser
 * parsed it (not as a server-side parser would): scripts other than JSON-LD,
 * handlers, script/data URLs, active and document-level elements, iframes
 * outside the embed allowlist or without a sandbox.
 */
function dangerousMarkup(page: Page): Promise<string[]> {
  return page.evaluate((embedUrl) => {
    const found: string[] = []
    const describe = (el: Element) =>
      `<${el.localName}${Array.from(el.attributes)
        .map((a) => ` ${a.name}="${a.value.slice(0, 60)}"`)
        .join('')}>`
    const scheme = (value: string) => value.replace(/[\u0000-\u0020\u007f-\u00a0]+/g, '').toLowerCase()
    const dataImage = /^data:image\/(png|gif|jpeg|webp|avif)[;,]/
    const embed = new RegExp(embedUrl)
    for (const el of Array.from(document.querySelectorAll('*'))) {
      const name = el.localName
      if (name === 'script' && el.getAttribute('type') !== 'application/ld+json') found.push(describe(el))
      // The site's own search form in the header (a GET to /search) is the one form a page may have.
      const siteSearch =
        name === 'form' && el.closest('header.site search') !== null && el.getAttribute('action') === '/search'
      if (['object', 'embed', 'applet', 'form', 'frame', 'frameset', 'portal', 'base'].includes(name) && !siteSearch)
        found.push(describe(el))
      if (name === 'meta' && el.hasAttribute('http-equiv')) found.push(describe(el))
      if ((name === 'link' || name === 'style') && el.closest('body')) found.push(describe(el))
      if (name === 'iframe' && (!embed.test(el.getAttribute('src') ?? '') || !el.hasAttribute('sandbox')))
        found.push(describe(el))
      for (const attr of Array.from(el.attributes)) {
        const value = scheme(attr.value)
        if (attr.name.startsWith('on') || attr.name === 'srcdoc') found.push(`${attr.name} on ${describe(el)}`)
        else if (/^(javascript|vbscript):/.test(value)) found.push(`${attr.name} on ${describe(el)}`)
        else if (
          value.startsWith('data:') &&
          !((attr.name === 'src' || attr.name === 'srcset') && dataImage.test(value))
        )
          found.push(`${attr.name} on ${describe(el)}`)
      }
    }
    return found
  }, EMBED_URL.source)
}
