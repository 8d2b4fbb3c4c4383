import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { keys, SCHEMA_VERSION, type SitemapChunk, type SitemapHead } from '../../src/shared/schema.ts'
import { PART_CHUNKS, SITEMAP_MAX_URLS } from '../../src/worker/routes/sitemap-xml.ts'
import { child, children, parseXml } from '../support/xml.ts'
import { loadSite, manifest } from './load-site.ts'
import { get, ORIGIN } from './worker-requests.ts'

const SITEMAP = 'http://www.sitemaps.org/schemas/sitemap/0.9'

async function xml(path: string) {
  const response = await get(path)
  expect(response.status, path).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8')
  const root = parseXml(await response.text())
  expect(root.uri).toBe(SITEMAP)
  return root
}

const locs = (root: ReturnType<typeof parseXml>, element: string) =>
  children(root, element).map((u) => child(u, 'loc')!.text)

beforeAll(loadSite, 120_000)

describe('the sitemap', () => {
  it('lists the home page and every post exactly once, with its last change', async () => {
    const root = await xml('/sitemap.xml')
    expect(root.name).toBe('urlset')
    const urls = locs(root, 'url')
    expect(urls[0]).toBe(`${ORIGIN}/`)
    expect(urls.slice(1).sort()).toEqual(
      manifest()
        .map((p) => ORIGIN + p.url)
        .sort(),
    )
    const seed = manifest().find((p) => p.file.endsWith('王毅谈习拜会：有利推动两国关系重回健康正轨.md'))!
    const entry = children(root, 'url').find((u) => child(u, 'loc')!.text === ORIGIN + seed.url)!
    expect(child(entry, 'lastmod')?.text).toBe(seed.date)
  })

  it('is announced by robots.txt', async () => {
    const response = await get('/robots.txt')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await response.text()).toMatch(new RegExp(`^Sitemap: ${ORIGIN}/sitemap\\.xml$`, 'm'))
  })
})

describe('a sitemap past 50,000 URLs', () => {
  // A sitemap head and chunks as the build writes them (src/builder/sitemap-entries.ts) for 85,500 posts.
  const stride = 1000
  const count = 85_500
  const url = (i: number) => `/2020/01/01/post-${i}/`

  beforeAll(async () => {
    const full = Math.floor(count / stride)
    for (let k = 0; k < full; k++) {
      const chunk: SitemapChunk = {
        schema: SCHEMA_VERSION,
        start: k * stride,
        items: Array.from({ length: stride }, (_, i) => ({
          url: url(k * stride + i),
          lastmod: '2020-01-01T00:00:00.000Z',
        })),
      }
      await env.POSTS.put(keys.sitemapChunk(k), JSON.stringify(chunk))
    }
    const tail = Array.from({ length: count - full * stride }, (_, i) => ({
      url: url(full * stride + i),
      lastmod: '2020-01-01T00:00:00.000Z',
    }))
    const head: SitemapHead = { schema: SCHEMA_VERSION, count, stride, overlap: 0, tail }
    await env.POSTS.put(keys.sitemapHead, JSON.stringify(head))
  }, 120_000)

  it('becomes an index of parts that together list every URL once, each part within the limit', async () => {
    const index = await xml('/sitemap.xml')
    expect(index.name).toBe('sitemapindex')
    const parts = locs(index, 'sitemap')
    expect(parts).toEqual([1, 2, 3].map((n) => `${ORIGIN}/sitemaps/${n}.xml`))
    const all: string[] = []
    for (const part of parts) {
      const urls = locs(await xml(new URL(part).pathname), 'url')
      expect(urls.length).toBeLessThanOrEqual(Math.min(SITEMAP_MAX_URLS, PART_CHUNKS * stride))
      all.push(...urls)
    }
    expect(all).toEqual(Array.from({ length: count }, (_, i) => ORIGIN + url(i)))
    expect((await get('/sitemaps/4.xml')).status).toBe(404)
    expect((await get('/sitemaps/0.xml')).status).toBe(404)
  })
})
