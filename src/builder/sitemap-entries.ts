import { type KvEntry, keys, type SitemapUrl } from '../shared/schema.ts'
import type { ListedPost } from './build-state.ts'
import { chunkedEntries } from './chunked-entries.ts'

/** URLs a sitemap chunk holds: a 10,000-post site is the head and 10 chunks; a new post rewrites only the head. */
export const SITEMAP_STRIDE = 1000

/** Every post URL with its last change, oldest first, chunked so a new post changes one key. */
export function sitemapEntries(oldestFirst: ListedPost[]): KvEntry[] {
  const urls = oldestFirst.map((post): SitemapUrl => ({ url: post.url, lastmod: post.updated ?? post.date }))
  return chunkedEntries(urls, { stride: SITEMAP_STRIDE, overlap: 0 }, keys.sitemapHead, keys.sitemapChunk)
}
