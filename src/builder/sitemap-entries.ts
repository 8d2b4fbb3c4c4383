import { keys, type SitemapUrl } from '../shared/schema.ts'
import type { ListedPost } from './build-state.ts'

/** URLs a sitemap chunk holds: a 10,000-post site is the head and 10 chunks; a new post rewrites only the head. */
export const SITEMAP_STRIDE = 1000

/** The sitemap: every post URL with its last change, oldest first, chunked so a new post changes one key. */
export const sitemap = {
  layout: { stride: SITEMAP_STRIDE, overlap: 0 },
  headKey: keys.sitemapHead,
  chunkKey: keys.sitemapChunk,
  item: (post: ListedPost): SitemapUrl => ({ url: post.url, lastmod: post.updated ?? post.date }),
}
