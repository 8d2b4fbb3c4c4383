/**
 * Listings (home, tags, categories, years, months) and the arithmetic both
 * sides share: which listings a post is in, their URLs, and where a page's
 * posts are stored.
 *
 * A listing is stored oldest first in chunks anchored at the OLDEST post, so
 * appending a post never moves existing posts between chunks:
 *
 *   chunk k  = items [k·stride, k·stride + stride + overlap)   written once full
 *   head     = count + every item from the first chunk that is not yet full
 *
 * Consecutive chunks overlap by `overlap` items (a listing's page size), so
 * any page — a window of at most `overlap` consecutive items — lies inside
 * the head's tail or inside one chunk: a page costs the head read plus at
 * most one chunk read. Appending a post rewrites the head and, once every
 * `stride` posts, writes one new chunk.
 */

/** Posts on one listing page; also the overlap of listing chunks. */
export const LISTING_PAGE_SIZE = 20
/** Items between the starts of consecutive listing chunks. */
export const LISTING_STRIDE = 20
/** Posts in a feed. At most LISTING_PAGE_SIZE: a listing's head always holds that many newest posts. */
export const FEED_ITEMS = 10

export type Listing =
  | { kind: 'home' }
  | { kind: 'tag'; name: string }
  | { kind: 'category'; name: string }
  | { kind: 'year'; year: string }
  | { kind: 'month'; year: string; month: string }

export const HOME: Listing = { kind: 'home' }

/** The id a listing's keys are made of (see keys.listingHead). Names are used as they are. */
export function listingId(listing: Listing): string {
  switch (listing.kind) {
    case 'home':
      return 'home'
    case 'tag':
      return `tag:${listing.name}`
    case 'category':
      return `category:${listing.name}`
    case 'year':
      return `year:${listing.year}`
    case 'month':
      return `month:${listing.year}-${listing.month}`
  }
}

/** The listing's first page, percent-encoded, with a trailing slash. */
export function listingPath(listing: Listing): string {
  switch (listing.kind) {
    case 'home':
      return '/'
    case 'tag':
      return `/tags/${encodeURIComponent(listing.name)}/`
    case 'category':
      return `/categories/${encodeURIComponent(listing.name)}/`
    case 'year':
      return `/${listing.year}/`
    case 'month':
      return `/${listing.year}/${listing.month}/`
  }
}

/** Page 1 is the listing's own path; `/page/1/` only redirects there. */
export function pagePath(listing: Listing, page: number): string {
  const base = listingPath(listing)
  return page === 1 ? base : `${base}page/${page}/`
}

/** Tags and categories longer than this (UTF-8 bytes) are refused, so listing keys stay far below KV's 512. */
export const MAX_TERM_BYTES = 200

interface Dated {
  slug: string
  date: string
}

/** Listing order, oldest first: by date, then by slug in code-unit order (the same on every machine). */
export function oldestFirst(a: Dated, b: Dated): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1
  return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0
}

/**
 * Every listing a post is in. Year and month come from the post's URL (its
 * slug starts with the Jekyll date), so `/2022/11/` lists what `/2022/11/…` serves.
 */
export function listingsOf(post: Dated & { tags: string[]; categories: string[] }): Listing[] {
  const [, year, month] = /^(\d{4})-(\d{2})-/.exec(post.slug) ??
    /^(\d{4})-(\d{2})/.exec(post.date) ?? ['', '0000', '00']
  return [
    HOME,
    ...post.tags.map((name): Listing => ({ kind: 'tag', name })),
    ...post.categories.map((name): Listing => ({ kind: 'category', name })),
    { kind: 'year', year },
    { kind: 'month', year, month },
  ]
}

/** What the arithmetic needs of a listing's head. */
export interface ChunkLayout {
  count: number
  stride: number
  overlap: number
}

/** How many chunks are full: chunk k is once it holds stride + overlap items. */
export function fullChunks({ count, stride, overlap }: ChunkLayout): number {
  return count < overlap ? 0 : Math.floor((count - overlap) / stride)
}

/** Position (oldest first, from 0) of the first item the head holds. */
export function tailStart(layout: ChunkLayout): number {
  return fullChunks(layout) * layout.stride
}

export function pageCount(count: number, pageSize: number): number {
  return Math.max(1, Math.ceil(count / pageSize))
}

/** Positions [start, end), oldest first, of newest-first page `page` (from 1); null past the last page. */
export function pageRange(count: number, pageSize: number, page: number): { start: number; end: number } | null {
  if (!Number.isInteger(page) || page < 1 || page > pageCount(count, pageSize)) return null
  const end = count - (page - 1) * pageSize
  return { start: Math.max(0, end - pageSize), end }
}

/** The full chunk that holds items [start, start + overlap), or null when the head's tail does. */
export function chunkHolding(layout: ChunkLayout, start: number): number | null {
  return start >= tailStart(layout) ? null : Math.floor(start / layout.stride)
}

/**
 * The items at positions [start, end), taken from the head's tail or, when
 * chunkHolding named one, from that chunk. Null when the given records do
 * not hold them (a head and chunk from different builds).
 */
export function itemsInRange<T>(
  head: ChunkLayout & { tail: T[] },
  range: { start: number; end: number },
  chunk?: { start: number; items: T[] },
): T[] | null {
  const from = chunk ?? { start: head.count - head.tail.length, items: head.tail }
  const items = from.items.slice(range.start - from.start, range.end - from.start)
  return range.start >= from.start && items.length === range.end - range.start ? items : null
}
