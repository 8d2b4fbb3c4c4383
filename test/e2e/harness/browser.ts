import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core'
import { EMBED_HOSTS } from '../../../src/shared/html-policy.ts'

/** Debian's Chromium; playwright's own browser downloads cannot work here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Nothing leaves the machine, and a page's off-site request fails at once instead of waiting on DNS.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
]

/** A fresh Chromium profile; close() also removes it. */
export async function launchBrowser(
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`)
  const profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    ...options,
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Players the pages may embed (the renderer's allowlist); offline here, so they are answered by a stand-in. */
export const EMBED_URL = new RegExp(
  `^https://(${[...EMBED_HOSTS].map((host) => host.replace(/\./g, '\\.')).join('|')})/`,
)

/** Answers embed requests with an empty player page instead of failing offline. */
export async function stubEmbeds(context: BrowserContext): Promise<void> {
  await context.route(EMBED_URL, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>player</title><p>video player stand-in</p>',
    }),
  )
}

/** What a page did while it loaded and was looked at. */
export interface PageReport {
  consoleErrors: string[]
  /** Requests that failed on the network or answered 4xx/5xx. */
  failedRequests: string[]
  /** Requests to anything but this site and stubbed embeds. */
  offsiteRequests: string[]
  /** `securitypolicyviolation` events: directive and blocked URL. */
  cspViolations: string[]
  /** Dialogs opened (alert, confirm, prompt, beforeunload). */
  dialogs: string[]
  /** Main-frame navigations away from the page that was opened, popups and downloads. */
  navigations: string[]
  /** Calls of instrumented functions (alert, eval, document.write, …) from page scripts. */
  executions: string[]
}

/**
 * Runs in every frame before any of the page's own markup: reports CSP
 * violations and calls of the functions payloads use to prove they ran, and
 * sets a global flag. (eval and Function stay untouched: the suite's own
 * evaluate() needs them; the debugger below sees any script they compile.)
 */
const INSTRUMENT_URL = 'e2e-instrument.js'
const REPORT_TAG = '__e2e_report__'
const INSTRUMENT = `(() => {
  const log = console.debug.bind(console)
  const report = (kind, detail) => log('${REPORT_TAG}', kind, String(detail).slice(0, 200))
  document.addEventListener('securitypolicyviolation', (e) => report('csp', e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')), true)
  const trap = (owner, name) => {
    owner[name] = function (...args) {
      window.__e2eExecuted = true
      report('exec', name + '(' + args.map(String).join(', ') + ')')
    }
  }
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) trap(window, name)
  for (const name of ['write', 'writeln']) trap(Document.prototype, name)
})()
//# sourceURL=${INSTRUMENT_URL}`

const emptyReport = (): PageReport => ({
  consoleErrors: [],
  failedRequests: [],
  offsiteRequests: [],
  cspViolations: [],
  dialogs: [],
  navigations: [],
  executions: [],
})

/**
 * A page wired to record everything in PageReport, reused from one opened URL
 * to the next (each open() starts a new report). Besides the traps above, the
 * debugger reports every script the page compiles: inline handlers and
 * scripts carry the page's URL; javascript: URLs and eval carry none, and
 * neither do the suite's own evaluate() calls, so unnamed scripts count until
 * `settled()`, which the suite calls before it evaluates anything.
 */
export class PageProbe {
  private report = emptyReport()
  private settledDown = false
  private opened = ''
  /** Main-frame documents committed since open(). */
  private committed: string[] = []
  private readonly contextOrigins = new Map<number, string>()

  readonly page: Page
  private readonly siteUrl: string

  private constructor(page: Page, siteUrl: string) {
    this.page = page
    this.siteUrl = siteUrl
  }

  static async create(context: BrowserContext, siteUrl: string): Promise<PageProbe> {
    const probe = new PageProbe(await context.newPage(), siteUrl)
    await probe.wire(context)
    return probe
  }

  /** Opens `url` (to its load event) with a fresh report. */
  async open(url: string): Promise<void> {
    this.report = emptyReport()
    this.settledDown = false
    this.committed = []
    const response = await this.page.goto(url, { waitUntil: 'load' })
    if (!response) throw new Error(`no response for ${url}`)
    // Where the goto ended after redirects: the one document that was meant to commit.
    this.opened = response.url()
  }

  /** What the page did since open(). The opened document commits once; any other is a navigation away. */
  findings(): PageReport {
    const at = this.committed.indexOf(this.opened)
    const others = this.committed.filter((_, i) => i !== at)
    return { ...this.report, navigations: [...this.report.navigations, ...others.map((url) => `navigated to ${url}`)] }
  }

  /** From here on the suite evaluates in the page: unnamed scripts are its own. */
  settled(): void {
    this.settledDown = true
  }

  close(): Promise<void> {
    return this.page.close()
  }

  private async wire(context: BrowserContext): Promise<void> {
    const { page } = this
    const report = () => this.report
    await page.addInitScript(INSTRUMENT)

    const debug = await context.newCDPSession(page)
    // Context ids are reused across renderer processes: the latest creation names the context.
    debug.on('Runtime.executionContextCreated', ({ context: created }) =>
      this.contextOrigins.set(created.id, created.origin),
    )
    debug.on('Debugger.scriptParsed', (script) => {
      const aux = script.executionContextAuxData as { isDefault?: boolean } | undefined
      if (!aux?.isDefault || script.url === INSTRUMENT_URL) return
      // Chromium's error pages (a refused frame, a failed navigation) have no origin ("://") and scripts of their own.
      if (script.url.startsWith('chrome-error:') || this.contextOrigins.get(script.executionContextId) === '://') return
      if (script.url || !this.settledDown)
        report().executions.push(`script compiled (${script.length} chars) in ${script.url || 'an unnamed source'}`)
    })
    await debug.send('Runtime.enable')
    await debug.send('Debugger.enable')

    page.on('console', (message) => {
      const reported = new RegExp(`^${REPORT_TAG} (csp|exec) `).exec(message.text())
      if (reported)
        (reported[1] === 'csp' ? report().cspViolations : report().executions).push(
          message.text().slice(reported[0].length),
        )
      // Chromium asks for /favicon.ico once a session, from whichever page comes first; navigation.test.ts checks it on its own.
      else if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
        report().consoleErrors.push(`${message.text()} [${message.location().url}]`)
      }
    })
    page.on('pageerror', (error) => report().consoleErrors.push(`uncaught: ${error.message}`))
    page.on('requestfailed', (request) =>
      report().failedRequests.push(`${request.url()} (${request.failure()?.errorText})`),
    )
    page.on('response', (response) => {
      if (response.status() >= 400) report().failedRequests.push(`${response.url()} (HTTP ${response.status()})`)
    })
    page.on('request', (request) => {
      const url = request.url()
      if (!url.startsWith(`${this.siteUrl}/`) && !EMBED_URL.test(url) && !url.startsWith('data:'))
        report().offsiteRequests.push(url)
    })
    page.on('dialog', (dialog) => {
      report().dialogs.push(`${dialog.type()}: ${dialog.message()}`)
      void dialog.dismiss().catch(() => {})
    })
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.committed.push(frame.url())
    })
    page.on('popup', (popup) => report().navigations.push(`popup ${popup.url()}`))
    page.on('download', (download) => report().navigations.push(`download ${download.url()}`))
  }
}

/**
 * Scrolls through the whole page so lazy images load, then waits for the
 * network to settle.
 */
export async function scrollThrough(page: Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight)
  const step = page.viewportSize()?.height ?? 800
  for (let y = 0; y < height; y += step) {
    await page.evaluate((top) => window.scrollTo(0, top), y)
    await page.waitForTimeout(30)
  }
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.waitForLoadState('networkidle')
}

/**
 * Waits for every image to finish. Lazy images the scroll did not reach (in
 * boxes that take no space, say) are switched to eager, so each image's URL
 * is tried either way.
 */
export async function settleImages(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.evaluate(
    (timeout) =>
      Promise.all(
        Array.from(document.images).map((img) => {
          if (img.complete) return undefined
          img.loading = 'eager'
          return new Promise((resolve) => {
            img.addEventListener('load', resolve)
            img.addEventListener('error', resolve)
            setTimeout(resolve, timeout)
          })
        }),
      ),
    timeoutMs,
  )
}

/** Every `<img>` as the browser sees it after loading. */
export function images(
  page: Page,
): Promise<{ src: string; currentSrc: string; complete: boolean; naturalWidth: number }[]> {
  return page.evaluate(() =>
    Array.from(document.images).map((img) => ({
      src: img.getAttribute('src') ?? '',
      currentSrc: img.currentSrc,
      complete: img.complete,
      naturalWidth: img.naturalWidth,
    })),
  )
}
