/**
 * The KV schema: every key the build writes and the worker reads, and the
 * shape of each value. Both sides import this module and nothing else defines
 * a key, so a change of layout is a change here (and a bump of SCHEMA_VERSION).
 */

/** Bumped whenever a stored value changes shape; the worker refuses other versions. */
export const SCHEMA_VERSION = 1 as const

/** KV refuses keys over 512 bytes; slugs are cut well below that (see build/slug.ts). */
export const KV_MAX_KEY_BYTES = 512
/** KV refuses values over 25 MiB. */
export const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024

export const keys = {
  /** One published post: StoredPost. */
  post: (slug: string) => `post:${slug}`,
  /** The site-wide index the home page reads: SiteIndex. */
  siteIndex: 'site:index',
} as const

/** A post as the build stores it. `html` is the body rendered from Markdown. */
export interface StoredPost {
  schema: typeof SCHEMA_VERSION
  slug: string
  /** Path the worker serves the post at, percent-encoded, with a trailing slash. */
  url: string
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
  html: string
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

export interface SiteIndex {
  schema: typeof SCHEMA_VERSION
  /** Changes whenever any stored post or the renderer changes. */
  version: string
  builtAt: string
  count: number
  /** Newest first. */
  latest: PostSummary[]
}

/** How many posts the home page lists. */
export const HOME_LATEST = 50

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

export function isSiteIndex(value: unknown): value is SiteIndex {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return v.schema === SCHEMA_VERSION && typeof v.version === 'string' && Array.isArray(v.latest)
}
