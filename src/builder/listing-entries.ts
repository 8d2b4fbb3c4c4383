import { HOME, LISTING_PAGE_SIZE, LISTING_STRIDE, type Listing, listingId, listingsOf } from '../shared/listings.ts'
import {
  type ArchiveIndex,
  type KvEntry,
  keys,
  type OldLinkDay,
  type PostLink,
  type PostSummary,
  SCHEMA_VERSION,
  type TermIndex,
} from '../shared/schema.ts'
import { slugText } from '../shared/slug-text.ts'
import type { ListedPost } from './build-state.ts'
import { type ChunkLayout, chunkedEntries, unchangedChunkKeys } from './chunked-entries.ts'
import { sitemap } from './sitemap-entries.ts'
import { parseJekyllName } from './slugs.ts'

/** The posts the stored listings were made from, and which of them changed since. */
export interface StoredListings {
  /** Oldest first. */
  posts: ListedPost[]
  /** Files whose listed fields (title, date, tags, …) are not the ones in `posts`: new or edited. */
  changed: ReadonlySet<string>
}

export interface ListingEntries {
  /** Entries whose value this build made. */
  entries: KvEntry[]
  /** Keys whose stored value is the one this build would make: not made again. */
  unchanged: string[]
}

const LISTING_LAYOUT: ChunkLayout = { stride: LISTING_STRIDE, overlap: LISTING_PAGE_SIZE }

/**
 * Every KV entry besides the posts themselves: listings, the tag, category and
 * archive indexes, the old-permalink days and the sitemap, from the posts
 * oldest first. Values depend on the posts only (no build time), so an
 * unchanged site builds byte for byte the same entries and deploy can diff
 * them by key and hash.
 *
 * Given what the stored listings were made from, only values that can differ
 * are made: the heads of the lists a changed post is in, and their chunks
 * from the first position where the list differs (a new post changes the
 * heads it joins, not the chunks of the 10,000 posts before it); the days of
 * changed posts; the three indexes. The other keys are listed as unchanged.
 */
export function listingEntries(ordered: ListedPost[], stored?: StoredListings): ListingEntries {
  const out: ListingEntries = { entries: [], unchanged: [] }
  /** One chunked list; `then` is the same list as stored. */
  const chunked = <T>(
    now: ListedPost[],
    then: ListedPost[] | undefined,
    view: (post: ListedPost) => T,
    layout: ChunkLayout,
    headKey: string,
    chunkKey: (index: number) => string,
  ) => {
    const from = stored ? firstDifference(then ?? [], now, stored.changed) : 0
    out.unchanged.push(...unchangedChunkKeys(layout, chunkKey, from))
    if (from === now.length && then?.length === now.length) out.unchanged.push(headKey)
    else out.entries.push(...chunkedEntries(now.map(view), layout, headKey, chunkKey, from))
  }

  const groups = groupByListing(ordered)
  const groupsThen = stored && groupByListing(stored.posts)
  for (const [id, { items }] of groups)
    chunked(items, groupsThen?.get(id)?.items, summary, LISTING_LAYOUT, keys.listingHead(id), (k) =>
      keys.listingChunk(id, k),
    )
  out.entries.push(
    json(keys.tagIndex, termIndex(groups, 'tag')),
    json(keys.categoryIndex, termIndex(groups, 'category')),
    json(keys.archiveIndex, archiveIndex(groups)),
  )
  const daysThen = stored && postsByDay(stored.posts)
  for (const [day, posts] of postsByDay(ordered)) {
    const then = daysThen?.get(day)
    if (stored && then?.length === posts.length && firstDifference(then, posts, stored.changed) === posts.length)
      out.unchanged.push(keys.oldLinks(day))
    else out.entries.push(oldLinkDay(day, posts))
  }
  chunked(ordered, stored?.posts, sitemap.item, sitemap.layout, sitemap.headKey, sitemap.chunkKey)
  return out
}

/** The first position where two lists of posts differ (a `changed` post differs from itself); else the shorter length. */
function firstDifference(then: ListedPost[], now: ListedPost[], changed: ReadonlySet<string>): number {
  const length = Math.min(then.length, now.length)
  for (let i = 0; i < length; i++) if (then[i].file !== now[i].file || changed.has(now[i].file)) return i
  return length
}

/** The site-wide newer and older post of each post (given oldest first), by slug. */
export function postNeighbours(ordered: ListedPost[]): Map<string, { newer?: PostLink; older?: PostLink }> {
  const link = (post: ListedPost | undefined): PostLink | undefined => post && { url: post.url, title: post.title }
  return new Map(ordered.map((post, i) => [post.slug, { newer: link(ordered[i + 1]), older: link(ordered[i - 1]) }]))
}

function summary({ slug, url, title, date, author, tags, categories }: ListedPost): PostSummary {
  return { slug, url, title, date, author, tags, categories }
}

type Groups = Map<string, { listing: Listing; items: ListedPost[] }>

/** Listing id → its posts, oldest first. Home is there even on an empty site. */
function groupByListing(ordered: ListedPost[]): Groups {
  const groups: Groups = new Map([[listingId(HOME), { listing: HOME, items: [] }]])
  for (const post of ordered) {
    for (const listing of listingsOf(post)) {
      const id = listingId(listing)
      const group = groups.get(id)
      if (group) group.items.push(post)
      else groups.set(id, { listing, items: [post] })
    }
  }
  return groups
}

function termIndex(groups: Groups, kind: 'tag' | 'category'): TermIndex {
  const terms: TermIndex['terms'] = []
  for (const { listing, items } of groups.values()) {
    if (listing.kind === kind) terms.push({ name: listing.name, count: items.length })
  }
  terms.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return { schema: SCHEMA_VERSION, terms }
}

function archiveIndex(groups: Groups): ArchiveIndex {
  const months: ArchiveIndex['months'] = []
  for (const { listing, items } of groups.values()) {
    if (listing.kind === 'month') months.push({ year: listing.year, month: listing.month, count: items.length })
  }
  months.sort((a, b) => (b.year + b.month).localeCompare(a.year + a.month))
  return { schema: SCHEMA_VERSION, months }
}

/**
 * Jekyll put a post at `…/:year/:month/:day/:title.html`, the date in the
 * site's time zone and the title from the file name (or front matter `slug`).
 * Posts are filed under their UTC day; the worker looks at that day and the
 * days either side, which covers every time zone.
 */
function postsByDay(ordered: ListedPost[]): Map<string, ListedPost[]> {
  const days = new Map<string, ListedPost[]>()
  for (const post of ordered) {
    const day = post.date.slice(0, 10)
    const posts = days.get(day)
    if (posts) posts.push(post)
    else days.set(day, [post])
  }
  return days
}

function oldLinkDay(day: string, posts: ListedPost[]): KvEntry {
  const titled = posts.flatMap((post) => jekyllTitles(post).map((title) => ({ title, slug: post.slug })))
  return json(keys.oldLinks(day), { schema: SCHEMA_VERSION, posts: titled } satisfies OldLinkDay)
}

/** The titles a Jekyll permalink of this post may carry, as slugText. */
function jekyllTitles(post: ListedPost): string[] {
  const fileName = parseJekyllName(post.file.split('/').pop() ?? '')
  const titles = [post.slug.replace(/^\d{4}-\d{2}-\d{2}-/, '')]
  if (fileName) titles.unshift(slugText(fileName.title))
  return [...new Set(titles)].filter(Boolean)
}

function json(key: string, value: unknown): KvEntry {
  return { key, value: JSON.stringify(value) }
}
