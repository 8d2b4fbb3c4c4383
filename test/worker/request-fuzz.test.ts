/**
 * Seeded fuzz of the worker in workerd: hostile paths (percent-encoding,
 * invalid UTF-8, very long, CJK, dots, route look-alikes), methods, headers
 * (conditional, Range, cookies) and hosts, through the real entrypoint and
 * through the app with the render cache on. Whatever comes in, the answer is
 * a status and headers from our own table, never a 5xx or an exception.
 * Change FUZZ_SEED here to explore; a failure names the request that made it.
 */
import { exports } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { CACHE_POLICIES, type CacheKind, cacheControl } from '../../src/worker/cache/cache-policy.ts'
import { seededRandom } from '../support/seeded-random.ts'
import { Site } from './cache-site.ts'
import { loadSite, manifest } from './load-site.ts'

const FUZZ_SEED = 20_261_130
const REQUESTS = 800

beforeAll(loadSite)
afterEach(() => vi.restoreAllMocks())

const { int, pick, chance } = seededRandom(FUZZ_SEED)

const ROUTE_SEGMENTS = [
  'tags',
  'categories',
  'archive',
  '2022',
  '11',
  '15',
  '2024/01/02',
  'page',
  '2',
  '0',
  '007',
  '99999999999999999999',
  'feed.xml',
  'feed.json',
  'sitemap.xml',
  'sitemaps',
  '1.xml',
  'robots.txt',
  'favicon.svg',
  'healthz',
  'img',
  '_cache',
  'purge',
  'old-title.html',
  'search',
  'opensearch.xml',
  '_images',
  'capture',
]
const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2F',
  '%5C',
  '%00',
  '%0d%0a',
  '%ff',
  '%c3%28',
  '%e4%b8',
  '%',
  '%zz',
  '%25',
  '联合早报',
  encodeURIComponent('联合早报'),
  encodeURIComponent('😀'),
  '%ed%a0%80',
  ';',
  '@evil.example',
  '~',
  '+',
  '%20',
  '<script>',
  '"',
  "'",
]

function segment(): string {
  if (chance(0.08)) return pick(['a', '长', '%ff']).repeat(1 + int(1500))
  return chance(0.5) ? pick(ROUTE_SEGMENTS) : pick(HOSTILE_SEGMENTS)
}

function path(): string {
  const known = manifest()
  if (chance(0.1)) return pick(known).url + (chance(0.5) ? pick(HOSTILE_SEGMENTS) : '')
  if (chance(0.1)) return `/search?${pick(SEARCH_QUERIES)}`
  let p = `/${Array.from({ length: int(5) }, segment).join('/')}`
  if (chance(0.5)) p += '/'
  if (chance(0.05)) p = `/${p}`
  if (chance(0.2))
    p += `?${pick(['', 'x=1', 'page=2', '%ff', `a=${'b'.repeat(int(3000))}`, 'utm_source=x&utm_medium=y'])}`
  return p
}

/** What a search box, a bot or an attacker puts after `/search?`. */
const SEARCH_QUERIES = [
  'q=香港',
  'q=%E9%A6%99%E6%B8%AF&page=2',
  'q=%22hong+kong%22',
  'q=NEAR(a+b)+OR+*+-x',
  "q=')%3B+DROP+TABLE+posts%3B--",
  'q=%ff%fe',
  `q=${'长'.repeat(600)}`,
  'q=a&page=0',
  'q=a&page=99999',
  'page=2',
  'q=',
  'q=a&q=b&x=1',
]

const METHODS = [
  ...Array(8).fill('GET'),
  'HEAD',
  'HEAD',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'PROPFIND',
]

const HEADERS: [string, () => string][] = [
  ['if-none-match', () => pick(['*', '"abc"', 'W/"x"', '"unterminated', ',,,', 'x'.repeat(int(9000))])],
  ['if-match', () => pick(['*', '"abc"', 'W/"x"', 'garbage'])],
  ['if-modified-since', () => pick(['garbage', new Date().toUTCString(), 'Thu, 01 Jan 1970 00:00:00 GMT', '99999'])],
  ['if-unmodified-since', () => pick(['garbage', 'Sat, 01 Jan 2000 00:00:00 GMT', new Date(8.64e15).toUTCString()])],
  ['range', () => pick(['bytes=0-10', 'bytes=-5', 'bytes=abc', 'bytes=0-0,5-10', 'bytes=99999999999-'])],
  ['if-range', () => pick(['"abc"', 'Thu, 01 Jan 1970 00:00:00 GMT', 'garbage'])],
  ['accept-encoding', () => pick(['gzip, br', 'identity;q=0', '*;q=0', 'x'])],
  ['cookie', () => pick(['a=b', `session=${'x'.repeat(int(4000))}`, '=;=;'])],
  ['referer', () => pick(['https://evil.example/', 'javascript:alert(1)', encodeURIComponent('联合早报')])],
  ['authorization', () => pick(['Bearer nope', 'Basic Og==', 'Bearer'])],
  ['content-type', () => pick(['application/json', 'text/html', 'multipart/form-data; boundary=x'])],
]

const ORIGINS = [
  'http://example.com',
  'http://EXAMPLE.com:8080',
  'http://127.0.0.1:8787',
  'http://[::1]',
  'https://evil.example',
  'http://xn--fiq228c.example',
]

function requestInit(): RequestInit {
  const method = pick(METHODS)
  const headers = new Headers()
  for (const [name, value] of HEADERS) if (chance(0.15)) headers.set(name, value())
  const body =
    method !== 'GET' && method !== 'HEAD' && chance(0.5) ? pick(['{}', 'x=1', '\u0000'.repeat(100)]) : undefined
  return { method, headers, body, redirect: 'manual' }
}

/** Cache-Control values our table can produce: the policies, and no-store. */
const CACHE_CONTROLS = new Set([
  'no-store',
  ...Object.keys(CACHE_POLICIES).map((kind) => cacheControl(kind as CacheKind).browser),
])
const STATUSES = new Set([200, 301, 304, 400, 401, 403, 404, 405, 412, 414])

describe('request fuzz', () => {
  it(`answers ${REQUESTS} hostile requests (seed ${FUZZ_SEED}) from its table: no 5xx, no exception`, async () => {
    const errors = vi.spyOn(console, 'error')
    const sites = new Map(ORIGINS.map((origin) => [origin, new Site({ origin })]))
    const statuses: Record<number, number> = {}
    for (let i = 0; i < REQUESTS; i++) {
      const origin = pick(ORIGINS)
      const target = path()
      const init = requestInit()
      const where = `#${i} ${init.method} ${origin}${target.slice(0, 200)} ${JSON.stringify([...new Headers(init.headers)].map(([n]) => n))}`
      // Half through the deployed entrypoint (render cache off), half through the app with the render cache on.
      const response = chance(0.5)
        ? await exports.default.fetch(new Request(`${origin}${target}`, init))
        : (await (sites.get(origin) as Site).fetch(target, init)).response
      if (!response.bodyUsed) await response.arrayBuffer()
      statuses[response.status] = (statuses[response.status] ?? 0) + 1

      expect(STATUSES.has(response.status), `${where}: ${response.status}`).toBe(true)
      expect(
        CACHE_CONTROLS.has(response.headers.get('cache-control') ?? ''),
        `${where}: ${response.status} ${response.headers.get('cache-control')}`,
      ).toBe(true)
      expect(response.headers.get('content-security-policy'), where).toBeTruthy()
      if (response.status === 301) expect(response.headers.get('location'), where).toMatch(/^\/(?![/\\])/)
      if (response.status === 405) expect(response.headers.get('allow'), where).toBe('GET, HEAD')
    }
    console.log(`request fuzz: seed ${FUZZ_SEED}, statuses ${JSON.stringify(statuses)}`)
    expect(errors).not.toHaveBeenCalled()
  })
})
