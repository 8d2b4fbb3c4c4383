import { type ChunkLayout, fullChunks } from '../../shared/listings.ts'
import type { SitemapUrl } from '../../shared/schema.ts'
import { element, textElement, XML_DECLARATION } from './feeds-xml.ts'

/** The sitemap protocol's limit of URLs in one file. */
export const SITEMAP_MAX_URLS = 50_000
/** Sitemap chunks in one part of a sitemap index. */
export const PART_CHUNKS = 40

const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'

/**
 * `/sitemap.xml` is one urlset (the home page and every post) while that
 * stays within the protocol's 50,000 URLs; past that it is an index of parts,
 * each PART_CHUNKS chunks of posts.
 */
export function sitemapParts(head: ChunkLayout): number | null {
  if (head.count + 1 <= SITEMAP_MAX_URLS) return null
  return Math.ceil(head.count / (PART_CHUNKS * head.stride))
}

/** The chunks part `part` (from 1) is made of, and whether the head's tail ends it. */
export function partChunks(head: ChunkLayout, part: number): { chunks: number[]; tail: boolean } | null {
  const parts = Math.max(1, Math.ceil(head.count / (PART_CHUNKS * head.stride)))
  if (!Number.isInteger(part) || part < 1 || part > parts) return null
  const first = (part - 1) * PART_CHUNKS
  const end = Math.min(first + PART_CHUNKS, fullChunks(head))
  return { chunks: Array.from({ length: Math.max(0, end - first) }, (_, i) => first + i), tail: part === parts }
}

export function urlset(origin: string, urls: (Omit<SitemapUrl, 'lastmod'> & { lastmod?: string })[]): string {
  const entries = urls.map(({ url, lastmod }) =>
    element('url', {}, textElement('loc', origin + url), lastmod === undefined ? '' : textElement('lastmod', lastmod)),
  )
  return `${XML_DECLARATION}${element('urlset', { xmlns: NS }, ...entries)}\n`
}

export function sitemapIndex(origin: string, parts: number): string {
  const entries = Array.from({ length: parts }, (_, i) =>
    element('sitemap', {}, textElement('loc', `${origin}/sitemaps/${i + 1}.xml`)),
  )
  return `${XML_DECLARATION}${element('sitemapindex', { xmlns: NS }, ...entries)}\n`
}
