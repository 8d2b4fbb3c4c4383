/**
 * Requests an attacker (or a careless crawler) can make, each pinned to what
 * the worker must answer (docs/threat-model.md, "Requests to the worker").
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { KV_MAX_KEY_BYTES } from '../../src/shared/schema.ts'
import { Site } from './cache-site.ts'
import { loadSite, manifest } from './load-site.ts'

beforeAll(loadSite)
afterEach(() => vi.restoreAllMocks())

const bytes = (text: string) => new TextEncoder().encode(text).length
/** The keys of the KV calls a request made (`get <key>`). */
const keysAsked = (site: Site) => site.kvCalls.map((call) => call.slice(call.indexOf(' ') + 1))

describe('paths whose KV key could not exist', () => {
  const long = (n: number) => 'a'.repeat(n)
  const paths = [
    `/2024/01/02/${long(500)}/`,
    `/tags/${long(520)}/`,
    `/categories/${long(500)}/page/2/`,
    `/tags/${long(520)}/feed.json`,
    `/tags/${long(520)}/feed.xml`,
    `/categories/${encodeURIComponent('长'.repeat(200))}/`,
  ]

  it('answer 404 before KV is asked, and log nothing', async () => {
    const errors = vi.spyOn(console, 'error')
    const site = new Site()
    for (const path of paths) {
      const { status, headers, body } = await site.fetch(path)
      expect(status, path).toBe(404)
      expect(headers.get('content-type'), path).toMatch(/^text\/html/)
      expect(body, path).toContain('This page does not exist.')
      expect(
        keysAsked(site).filter((key) => bytes(key) > KV_MAX_KEY_BYTES),
        path,
      ).toEqual([])
    }
    expect(errors).not.toHaveBeenCalled()
  })

  it('still reach KV when the key fits, and find what is there', async () => {
    const site = new Site()
    const tag = `/tags/${encodeURIComponent('联合早报')}/`
    expect((await site.fetch(tag)).status).toBe(200)
    expect(keysAsked(site)).toContain('list:tag:联合早报')
    // At the limit exactly, KV is asked (and has nothing); one byte more, it is not.
    const fits = `list:tag:${long(KV_MAX_KEY_BYTES - 'list:tag:'.length - 3)}长`
    expect(bytes(fits)).toBe(KV_MAX_KEY_BYTES)
    expect((await site.fetch(`/tags/${encodeURIComponent(fits.slice('list:tag:'.length))}/`)).status).toBe(404)
    expect(keysAsked(site)).toEqual([fits])
    expect((await site.fetch(`/tags/${encodeURIComponent(`${fits.slice('list:tag:'.length)}a`)}/`)).status).toBe(404)
    expect(keysAsked(site)).toEqual([])
  })
})

describe('methods other than GET and HEAD on page routes', () => {
  const seed = () => manifest().find((p) => p.file.endsWith('王毅谈习拜会：有利推动两国关系重回健康正轨.md'))!
  const paths = () => [
    '/',
    seed().url,
    `/tags/${encodeURIComponent('联合早报')}/`,
    '/page/2/',
    '/feed.xml',
    '/sitemap.xml',
    '/robots.txt',
    '/healthz',
    '/no/such/page/',
    '/2022/11/15/old-title.html',
  ]

  it('answer 405 with Allow: GET, HEAD, stored by no cache, reading nothing', async () => {
    const site = new Site()
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND']) {
      for (const path of paths()) {
        const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? 'x=1' : undefined
        const { status, headers } = await site.fetch(path, { method, body })
        expect(status, `${method} ${path}`).toBe(405)
        expect(headers.get('allow'), `${method} ${path}`).toBe('GET, HEAD')
        expect(headers.get('cache-control'), `${method} ${path}`).toBe('no-store')
        expect(headers.get('cdn-cache-control'), `${method} ${path}`).toBeNull()
        expect(site.kvCalls, `${method} ${path}`).toEqual([])
      }
    }
  })

  it('leave GET and HEAD, and the purge endpoint, as they were', async () => {
    const site = new Site()
    expect((await site.fetch(seed().url)).status).toBe(200)
    expect((await site.fetch(seed().url, { method: 'HEAD' })).status).toBe(200)
    expect((await site.purge({ purgeEverything: true })).status).toBe(200)
  })
})

describe('query strings', () => {
  it('that no route reads make one render, not one per query string: a 301 to the URL without them', async () => {
    const site = new Site()
    let renders = 0
    for (let i = 1; i <= 200; i++) {
      const redirect = await site.fetch(`/?x=${i}`, { redirect: 'manual' })
      expect(redirect.status).toBe(301)
      expect(redirect.headers.get('location')).toBe('/')
      expect(redirect.kvReads).toBe(0)
      const page = await site.fetch(redirect.headers.get('location')!)
      expect(page.status).toBe(200)
      if (page.cache?.includes('render')) renders++
    }
    expect(renders).toBe(1)
  })

  it('redirect to the same path, percent-encoded, on this host, with a cacheable 301', async () => {
    const site = new Site()
    const tag = `/tags/${encodeURIComponent('联合早报')}/`
    const cases: [string, string][] = [
      [`${tag}?utm_source=feed&utm_medium=rss`, tag],
      ['/page/2/?page=3', '/page/2/'],
      ['//evil.example/?x=1', '/evil.example/'],
      ['/sitemap.xml?%ff=%fe', '/sitemap.xml'],
    ]
    for (const [from, to] of cases) {
      const { status, headers } = await site.fetch(from, { redirect: 'manual' })
      expect(status, from).toBe(301)
      expect(headers.get('location'), from).toBe(to)
      expect(headers.get('cache-control'), from).toBe('public, max-age=3600')
    }
    // An empty query is no query: the URL is already canonical.
    expect((await site.fetch('/feed.xml?')).status).toBe(200)
  })
})
