/**
 * The KV schema: every key the build writes and the worker reads, and the
 * shape of each value. Both sides import this module and nothing else defines
 * a key, so a change of layout is a change here (and a bump of SCHEMA_VERSION).
 */

/** Bumped whenever a stored value changes shape; the worker refuses other versions. */
export const SCHEMA_VERSION = 1 as const

/** KV refuses keys over 512 bytes; slugs are cut well below that (see builder/slugs.ts). */
export const KV_MAX_KEY_BYTES = 512
/**
 * Whether KV can hold this key. The build publishes nothing under a key that does not fit (slugs and
 * terms are cut or refused well below it); the worker asks KV for no key that does not fit, since KV
 * answers such a read with an error, not with "absent": a request naming one is a 404.
 */
export function fitsKvKey(key: string): boolean {
  // UTF-16 length bounds the UTF-8 length from below (≥ 1 byte per unit) and above (≤ 3 bytes per unit).
  if (key.length * 3 <= KV_MAX_KEY_BYTES) return true
  return key.length <= KV_MAX_KEY_BYTES && new TextEncoder().encode(key).length <= KV_MAX_KEY_BYTES
}

/** KV refuses values over 25 MiB. */
export const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024

/** One key and its value as the build writes them, in the shape `wrangler kv bulk put` reads. */
export interface KvEntry {
  key: string
  value: string
}

export const keys = {
  /** One published post: StoredPost. */
  post: (slug: string) => `post:${slug}`,
  /** A listing's count and newest posts (see shared/listings.ts): ListingHead. */
  listingHead: (listingId: string) => `list:${listingId}`,
  /** One full chunk of a listing, never rewritten when a newer post is added: ListingChunk. */
  listingChunk: (listingId: string, index: number) => `chunk:${index}:${listingId}`,
  /** Every tag with its post count: TermIndex. */
  tagIndex: 'index:tags',
  /** Every category with its post count: TermIndex. */
  categoryIndex: 'index:categories',
  /** Every month with posts: ArchiveIndex. */
  archiveIndex: 'index:archive',
  /** Posts dated on one UTC day by their Jekyll title, for old permalinks: OldLinkDay. */
  oldLinks: (day: string) => `jekyll:${day}`,
  /** Every post URL, chunked like a listing without overlap: SitemapHead. */
  sitemapHead: 'sitemap:head',
  /** SitemapChunk. */
  sitemapChunk: (index: number) => `sitemap:${index}`,
  /** Names the state of the search index (D1): SearchIndexVersion. Search results read it, so their ETag and Cache-Tag follow the index. */
  searchIndex: 'search:index',
  /** What the last complete deploy left in KV (key → content hash); written by deploy only, read by no route. */
  deployState: 'deploy:state',
  /** Which image URLs the archive holds and which wait for capture; written by deploy only, read by no route. */
  deployImages: 'deploy:images',
} as const

/** What a post's front matter says, validated by the build; stored as it is. */
export interface PostFields {
  /** Source file, relative to the content folder. */
  file: string
  title: string
  /** ISO 8601. */
  date: string
  updated?: string
  author?: string
  /** URL of the article this post mirrors. */
  from?: string
  tags: string[]
  categories: string[]
  comments: boolean
  description?: string
  image?: string
  layout?: string
}

/** A post as the build stores it. `html` is the body rendered from Markdown. */
export interface StoredPost extends PostFields {
  schema: typeof SCHEMA_VERSION
  slug: string
  /** Path the worker serves the post at, percent-encoded, with a trailing slash. */
  url: string
  /** The article body, normalised and sanitised at build time (src/builder/normalise). */
  html: string
  /** Plain-text description: front matter `description`, else the article's opening (CJK-aware length). */
  excerpt: string
  /** BCP 47 language of the text: zh-Hans, zh-Hant, zh, ja or en. */
  lang: string
  /** Estimated reading time (CJK counted by characters, other scripts by words). */
  readingMinutes: number
  /** Absolute http(s) URL of the image that represents the post (front matter `image`, else the first in the body). */
  leadImage?: string
  /** The post just after this one in time, site-wide (article navigation). */
  newer?: PostLink
  /** The post just before this one in time, site-wide. */
  older?: PostLink
  /** Hash of everything above: changes exactly when the stored value does. */
  hash: string
}

/** What a listing needs to know of a post. */
export interface PostSummary {
  slug: string
  url: string
  title: string
  date: string
  author?: string
  tags: string[]
  categories: string[]
}

export interface PostLink {
  url: string
  title: string
}

/**
 * The head of a chunked list (see shared/listings.ts): how many items there
 * are, how they are chunked, and every item no full chunk holds, oldest first.
 */
export interface ChunkedHead<T> {
  schema: typeof SCHEMA_VERSION
  count: number
  stride: number
  /** A listing's page size; 0 for the sitemap. */
  overlap: number
  /** The newest items, from position count − tail.length on. */
  tail: T[]
}

/** A full chunk: the items from position `start`, oldest first. */
export interface Chunk<T> {
  schema: typeof SCHEMA_VERSION
  start: number
  items: T[]
}

export type ListingHead = ChunkedHead<PostSummary>
export type ListingChunk = Chunk<PostSummary>

export interface SitemapUrl {
  url: string
  /** ISO 8601: the post's `updated`, else its date. */
  lastmod: string
}

export type SitemapHead = ChunkedHead<SitemapUrl>
export type SitemapChunk = Chunk<SitemapUrl>

/** Tags or categories by name (code-unit order), with how many posts each has. */
export interface TermIndex {
  schema: typeof SCHEMA_VERSION
  terms: { name: string; count: number }[]
}

/**
 * Which search rows are published: a hash over every post's slug and search-row
 * hash. It changes exactly when a row does, and deploy writes it only after the
 * rows (src/shared/search-index.ts).
 */
export interface SearchIndexVersion {
  schema: typeof SCHEMA_VERSION
  posts: number
  hash: string
}

/** Months with posts, newest first. */
export interface ArchiveIndex {
  schema: typeof SCHEMA_VERSION
  months: { year: string; month: string; count: number }[]
}

/** The posts of one day, each under the slugText of the title its Jekyll permalink had. */
export interface OldLinkDay {
  schema: typeof SCHEMA_VERSION
  posts: { title: string; slug: string }[]
}

/**
 * The canonical path of a post. Slugs start with the Jekyll date
 * (`2022-11-15-title`), which becomes `/2022/11/15/title/`.
 */
export function postPath(slug: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})-(.+)$/.exec(slug)
  if (!m) return `/posts/${encodeURIComponent(slug)}/`
  return `/${m[1]}/${m[2]}/${m[3]}/${encodeURIComponent(m[4])}/`
}

/** Inverse of postPath for the dated form: the slug a decoded path names, if any. */
export function slugFromPath(year: string, month: string, day: string, title: string): string {
  return `${year}-${month}-${day}-${title}`
}

export function isStoredPost(value: unknown): value is StoredPost {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    v.schema === SCHEMA_VERSION &&
    typeof v.slug === 'string' &&
    typeof v.title === 'string' &&
    typeof v.date === 'string' &&
    typeof v.html === 'string' &&
    Array.isArray(v.tags) &&
    Array.isArray(v.categories)
  )
}

/** A record of this schema version whose `field` is an array (items are the build's own output). */
function hasArray(value: unknown, field: string): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return v.schema === SCHEMA_VERSION && Array.isArray(v[field])
}

export function isChunkedHead(value: unknown): value is ChunkedHead<never> {
  if (!hasArray(value, 'tail')) return false
  const { count, stride, overlap, tail } = value as Record<string, unknown> & { tail: unknown[] }
  return (
    Number.isInteger(count) &&
    Number.isInteger(stride) &&
    Number.isInteger(overlap) &&
    (stride as number) > 0 &&
    tail.length <= (count as number)
  )
}

export function isChunk(value: unknown): value is Chunk<never> {
  return hasArray(value, 'items') && Number.isInteger(value.start)
}

export const isListingHead = isChunkedHead as (value: unknown) => value is ListingHead
export const isListingChunk = isChunk as (value: unknown) => value is ListingChunk
export const isSitemapHead = isChunkedHead as (value: unknown) => value is SitemapHead
export const isSitemapChunk = isChunk as (value: unknown) => value is SitemapChunk

export function isTermIndex(value: unknown): value is TermIndex {
  return hasArray(value, 'terms')
}

export function isArchiveIndex(value: unknown): value is ArchiveIndex {
  return hasArray(value, 'months')
}

export function isOldLinkDay(value: unknown): value is OldLinkDay {
  return hasArray(value, 'posts')
}
