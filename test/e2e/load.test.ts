import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { articles, originStats, routeExists, site } from './site.ts'

/**
 * A bounded load test of local workerd (wrangler dev) on loopback: a fixed
 * number of requests at a fixed concurrency, mixed across articles, listings,
 * feeds and already-cached images. It asserts correctness under load (no
 * errors, no image refetched from its origin) and reports latency; speed
 * itself is not asserted.
 */
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 10_000)
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 50)
/** The run stops here whatever it has done. */
const TIME_LIMIT_MS = 300_000
const RESULTS = join(import.meta.dirname, '../../test-results/e2e/load.json')

type Kind = 'article' | 'listing' | 'feed' | 'image'
/** Share of each kind in the mix. */
const MIX: Record<Kind, number> = { article: 0.4, listing: 0.25, feed: 0.1, image: 0.25 }

interface Sample {
  kind: Kind
  ms: number
  error?: string
}

describe('load on local workerd', () => {
  it(`serves ${REQUESTS} mixed requests at concurrency ${CONCURRENCY} without an error`, async () => {
    const base = site().url
    expect(new URL(base).hostname).toBe('127.0.0.1')
    const targets = await collectTargets(base)
    for (const kind of Object.keys(MIX) as Kind[]) expect(targets[kind].length, `${kind} URLs`).toBeGreaterThan(0)

    // Warm: every image once, so the measured image requests are cache hits.
    for (const path of targets.image) expect((await get(base, path)).status, path).toBe(200)
    const originBefore = (await originStats()).requests

    const schedule = plan(targets)
    const samples: Sample[] = []
    const deadline = Date.now() + TIME_LIMIT_MS
    const started = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < schedule.length && Date.now() < deadline) {
          const { kind, path } = schedule[next++]
          const t0 = performance.now()
          try {
            const response = await get(base, path)
            samples.push({
              kind,
              ms: performance.now() - t0,
              ...(response.status !== 200 && { error: `${path}: HTTP ${response.status}` }),
            })
          } catch (err) {
            samples.push({ kind, ms: performance.now() - t0, error: `${path}: ${(err as Error).message}` })
          }
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    const originAfter = (await originStats()).requests

    const summary = {
      requests: samples.length,
      concurrency: CONCURRENCY,
      seconds: round(seconds),
      perSecond: round(samples.length / seconds),
      errors: samples.filter((s) => s.error).length,
      all: percentiles(samples),
      byKind: Object.fromEntries(
        (Object.keys(MIX) as Kind[]).map((kind) => [kind, percentiles(samples.filter((s) => s.kind === kind))]),
      ),
      originRequestsDuringRun: originAfter - originBefore,
    }
    mkdirSync(join(RESULTS, '..'), { recursive: true })
    writeFileSync(RESULTS, `${JSON.stringify(summary, null, 2)}\n`)
    console.log(`load: ${JSON.stringify(summary, null, 2)}`)

    expect(samples.length, 'requests completed within the time limit').toBe(REQUESTS)
    expect(
      samples
        .filter((s) => s.error)
        .map((s) => s.error)
        .slice(0, 20),
    ).toEqual([])
    expect(summary.originRequestsDuringRun, 'cached images fetched again from their origin').toBe(0)
  })
})

async function get(base: string, path: string): Promise<Response> {
  const response = await fetch(`${base}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(30_000) })
  await response.arrayBuffer()
  return response
}

/** URLs of each kind, from the site as built: articles, the listings and feeds that exist, the images the articles show. */
async function collectTargets(base: string): Promise<Record<Kind, string[]>> {
  const articlePaths = articles().map((post) => post.url)
  const listingCandidates = [
    '/',
    '/page/2/',
    '/archive/',
    '/tags/',
    '/categories/',
    ...site()
      .tags.slice(0, 5)
      .map((tag) => `/tags/${encodeURIComponent(tag)}/`),
  ]
  const feedCandidates = ['/feed.xml', '/feed.json', '/sitemap.xml', '/robots.txt']
  const exists = async (paths: string[]) =>
    (await Promise.all(paths.map(async (p) => ((await routeExists(p)) ? p : null)))).filter(
      (p): p is string => p !== null,
    )
  const images = new Set<string>()
  for (const path of articlePaths) {
    const html = await (await fetch(`${base}${path}`)).text()
    for (const match of html.matchAll(/\/img\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+/g)) images.add(match[0])
  }
  return {
    article: articlePaths,
    listing: await exists(listingCandidates),
    feed: await exists(feedCandidates),
    image: [...images].slice(0, 200),
  }
}

/** REQUESTS requests in the MIX proportions, spread evenly over each kind's URLs, in an interleaved order. */
function plan(targets: Record<Kind, string[]>): { kind: Kind; path: string }[] {
  const schedule: { kind: Kind; path: string }[] = []
  for (const kind of Object.keys(MIX) as Kind[]) {
    const count = Math.round(REQUESTS * MIX[kind])
    for (let i = 0; i < count; i++) schedule.push({ kind, path: targets[kind][i % targets[kind].length] })
  }
  schedule.length = Math.min(schedule.length, REQUESTS)
  while (schedule.length < REQUESTS)
    schedule.push({ kind: 'article', path: targets.article[schedule.length % targets.article.length] })
  // A seeded shuffle (Fisher–Yates over mulberry32) keeps runs comparable.
  let seed = 0x9e3779b9
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  for (let i = schedule.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[schedule[i], schedule[j]] = [schedule[j], schedule[i]]
  }
  return schedule
}

function percentiles(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b)
  const at = (q: number) => round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0)
  return { count: ms.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(ms.at(-1) ?? 0) }
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
