import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/builder/markdown.ts'
import { launchBrowser, stubEmbeds } from './harness/browser.ts'
import { vectorBody } from './harness/content.ts'
import { acted, inspectPayloadPage, type PayloadFindings } from './harness/xss.ts'
import { site } from './site.ts'
import { XSS_VECTORS } from './xss-vectors.ts'

/**
 * The XSS suite only means something if its payloads are live and its
 * detectors see them. Here each payload is served as the build's Markdown
 * renderer leaves it, without the sanitiser: most must be caught; and served
 * with the site's Content-Security-Policy alone, none may run.
 */
let server: Server
let serverUrl = ''
let policy = ''
const pages = new Map<string, string>()

beforeAll(async () => {
  const page = await fetch(`${site().url}/`)
  await page.arrayBuffer()
  policy = page.headers.get('content-security-policy') ?? ''
  for (const [i, vector] of XSS_VECTORS.entries()) pages.set(`/${i}`, renderMarkdown(vectorBody(vector)))
  server = createServer((req, res) => {
    const [path, query] = (req.url ?? '/').split('?')
    const body = pages.get(path)
    if (body === undefined) return void res.writeHead(404).end()
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(query === 'csp' && { 'content-security-policy': policy }),
    })
    res.end(
      `<!doctype html><html><head><meta charset="utf-8"><title>payload</title></head><body><main>${body}</main></body></html>`,
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

async function inspectAll(query: string): Promise<Map<string, PayloadFindings>> {
  const browser = await launchBrowser({ viewport: { width: 1024, height: 768 } })
  await stubEmbeds(browser.context)
  try {
    const findings = new Map<string, PayloadFindings>()
    // Four tabs at once, as in xss.test.ts.
    let next = 0
    const tab = async () => {
      while (next < XSS_VECTORS.length) {
        const i = next++
        findings.set(
          XSS_VECTORS[i].name,
          await inspectPayloadPage(browser.context, serverUrl, `${serverUrl}/${i}${query}`),
        )
      }
    }
    await Promise.all([tab(), tab(), tab(), tab()])
    return findings
  } finally {
    await browser.close()
  }
}

describe('the XSS payloads and detectors', () => {
  it('catch at least 100 payloads that are live when served unsanitised', async () => {
    const findings = await inspectAll('')
    const live = [...findings].filter(([, f]) => acted(f) || f.markup.length > 0).map(([name]) => name)
    const executed = [...findings]
      .filter(([, f]) => f.report.executions.length > 0 || f.report.dialogs.length > 0)
      .map(([name]) => name)
    console.log(
      `${live.length} of ${findings.size} payloads live unsanitised (${executed.length} ran script without a click); inert as the build's Markdown leaves them:`,
      [...findings.keys()].filter((name) => !live.includes(name)),
    )
    expect(live.length).toBeGreaterThanOrEqual(100)
    for (const name of [
      'script element',
      'img onerror',
      'svg onload',
      'noscript title break-out',
      'comment closed by --!>',
      'svg style holds markup',
      'iframe srcdoc script',
      'meta refresh off-site',
    ]) {
      expect(live, name).toContain(name)
    }
    expect(executed.length).toBeGreaterThanOrEqual(50)
  }, 900_000)

  it("run no script under the site's Content-Security-Policy alone", async () => {
    expect(policy).toContain("script-src 'none'")
    const findings = await inspectAll('?csp')
    const ran = [...findings].filter(([, f]) => f.report.executions.length > 0 || f.report.dialogs.length > 0)
    expect(ran.map(([name, f]) => `${name}: ${[...f.report.executions, ...f.report.dialogs].join('; ')}`)).toEqual([])
    // CSP does not govern top-level navigation: stopping meta refresh is the sanitiser's part.
    const left = [...findings].filter(([, f]) => f.report.navigations.length > 0).map(([name]) => name)
    console.log('under CSP alone, payloads that still navigate away:', left)
  }, 900_000)
})
