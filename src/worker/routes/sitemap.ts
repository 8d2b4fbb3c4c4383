import { type Context, Hono } from 'hono'
import { isSitemapChunk, isSitemapHead, keys, type SitemapHead, type SitemapUrl } from '../../shared/schema.ts'
import { cacheable } from '../cache/respond.ts'
import { siteOrigin } from '../configuration.ts'
import type { AppEnv } from '../env.ts'
import { readJson } from '../kv.ts'
import { errorPage } from './pages.tsx'
import { partChunks, sitemapIndex, sitemapParts, urlset } from './sitemap-xml.ts'

/** `/sitemap.xml` (every post) and, on sites past 50,000 posts, its parts `/sitemaps/<n>.xml`. */
export const sitemap = new Hono<AppEnv>()

const XML = { 'content-type': 'application/xml; charset=utf-8' }

sitemap.get('/sitemap.xml', async (c) => {
  const head = await readHead(c)
  if (!head.ok) return head.response
  const origin = siteOrigin(c)
  const parts = sitemapParts(head.value)
  if (parts !== null) return cacheable(c, 'sitemap', () => c.body(sitemapIndex(origin, parts), 200, XML))
  const urls = await partUrls(c, head.value, 1)
  if (!urls.ok) return urls.response
  // The home page changes with its newest post, the last in the tail.
  const home = { url: '/', lastmod: head.value.tail.at(-1)?.lastmod }
  return cacheable(c, 'sitemap', () => c.body(urlset(origin, [home, ...urls.value]), 200, XML))
})

sitemap.get('/sitemaps/:file{[0-9]+\\.xml}', async (c) => {
  const head = await readHead(c)
  if (!head.ok) return head.response
  const part = Number(c.req.param('file').slice(0, -'.xml'.length))
  const urls = await partUrls(c, head.value, part)
  if (!urls.ok) return urls.response
  return cacheable(c, 'sitemap', () => c.body(urlset(siteOrigin(c), urls.value), 200, XML))
})

type Read<T> = { ok: true; value: T } | { ok: false; response: Response | Promise<Response> }

async function readHead(c: Context<AppEnv>): Promise<Read<SitemapHead>> {
  const read = await readJson(c.var.kv, keys.sitemapHead, isSitemapHead)
  if (read.ok) return read
  return { ok: false, response: errorPage(c, 500, read.missing ? `${keys.sitemapHead} is missing` : read.reason) }
}

/** The URLs of one part, oldest first: its chunks (read in parallel) and, for the last part, the head's tail. */
async function partUrls(c: Context<AppEnv>, head: SitemapHead, part: number): Promise<Read<SitemapUrl[]>> {
  const plan = partChunks(head, part)
  if (!plan) return { ok: false, response: errorPage(c, 404) }
  const reads = await Promise.all(plan.chunks.map((k) => readJson(c.var.kv, keys.sitemapChunk(k), isSitemapChunk)))
  const urls: SitemapUrl[] = []
  for (const [i, read] of reads.entries()) {
    if (!read.ok)
      return {
        ok: false,
        response: errorPage(
          c,
          500,
          `${keys.sitemapChunk(plan.chunks[i])} ${read.missing ? 'is missing' : read.reason}`,
        ),
      }
    urls.push(...read.value.items.slice(0, head.stride))
  }
  if (plan.tail) urls.push(...head.tail)
  return { ok: true, value: urls }
}
