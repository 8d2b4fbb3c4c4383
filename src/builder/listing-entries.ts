import {
  LISTING_PAGE_SIZE,
  LISTING_STRIDE,
  type Listing,
  listingId,
  listingsOf,
  oldestFirst,
} from '../shared/listings.ts'
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
import { chunkedEntries } from './chunked-entries.ts'
import { sitemapEntries } from './sitemap-entries.ts'
import { parseJekyllName } from './slugs.ts'

/**
 * Every KV entry besides the posts themselves: listings, the tag, category and
 * archive indexes, the old-permalink days and the sitemap. Values depend on
 * the posts only (no build time), so an unchanged site builds byte for byte
 * the same entries and deploy can diff them by key and hash.
 */
export function listingEntries(posts: ListedPost[]): KvEntry[] {
  const ordered = [...posts].sort(oldestFirst)
  const groups = groupByListing(ordered)
  return [
    ...[...groups].flatMap(([id, { items }]) =>
      chunkedEntries(items, { stride: LISTING_STRIDE, overlap: LISTING_PAGE_SIZE }, keys.listingHead(id), (k) =>
        keys.listingChunk(id, k),
      ),
    ),
    json(keys.tagIndex, termIndex(groups, 'tag')),
    json(keys.categoryIndex, termIndex(groups, 'category')),
    json(keys.archiveIndex, archiveIndex(groups)),
    ...oldLinkDays(ordered),
    ...sitemapEntries(ordered),
  ]
}

/** The site-wide newer and older post of each post, by slug. */
export function postNeighbours(posts: ListedPost[]): Map<string, { newer?: PostLink; older?: PostLink }> {
  const ordered = [...posts].sort(oldestFirst)
  const link = (post: ListedPost | undefined): PostLink | undefined => post && { url: post.url, title: post.title }
  return new Map(ordered.map((post, i) => [post.slug, { newer: link(ordered[i + 1]), older: link(ordered[i - 1]) }]))
}

function summary({ slug, url, title, date, author, tags, categories }: ListedPost): PostSummary {
  return { slug, url, title, date, author, tags, categories }
}

type Groups = Map<string, { listing: Listing; items: PostSummary[] }>

/** Listing id → its posts, oldest first. Home is there even on an empty site. */
function groupByListing(ordered: ListedPost[]): Groups {
  const groups: Groups = new Map([[listingId({ kind: 'home' }), { listing: { kind: 'home' }, items: [] }]])
  for (const post of ordered) {
    const item = summary(post)
    for (const listing of listingsOf(post)) {
      const id = listingId(listing)
      const group = groups.get(id)
      if (group) group.items.push(item)
      else groups.set(id, { listing, items: [item] })
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
function oldLinkDays(ordered: ListedPost[]): KvEntry[] {
  const days = new Map<string, OldLinkDay['posts']>()
  for (const post of ordered) {
    const day = post.date.slice(0, 10)
    const posts = days.get(day) ?? []
    for (const title of jekyllTitles(post)) posts.push({ title, slug: post.slug })
    days.set(day, posts)
  }
  return [...days].map(([day, posts]) =>
    json(keys.oldLinks(day), { schema: SCHEMA_VERSION, posts } satisfies OldLinkDay),
  )
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
