/**
 * How long each kind of response may be reused, and by whom. One row per
 * route kind; routes name a kind and never write Cache-Control themselves.
 *
 * Two audiences get two fields:
 * - `Cache-Control` is for every cache, browsers included: fresh for
 *   `maxAge`, never served stale. So no reader keeps a copy of a changed
 *   page beyond its max-age (the consistency rule).
 * - `CDN-Cache-Control` (RFC 9213) is for the edge only (Workers Cache reads
 *   it before Cache-Control). The edge may also serve a stale copy while it
 *   revalidates, or when the worker fails: a deploy purges the pages it
 *   changed, so what the edge serves stale is only ever unchanged.
 */

export interface CachePolicy {
  /** Seconds a copy is fresh, for every cache. 0: not stored at all (`no-store`). */
  maxAge: number
  /** Seconds past maxAge the edge may serve a copy while revalidating it, or while the worker fails. */
  edgeStale: number
}

const MINUTE = 60
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const CACHE_POLICIES = {
  /** A post's page. */
  article: { maxAge: 5 * MINUTE, edgeStale: DAY },
  /** Home, its pages, tag, category, year and month listings, term indexes. */
  listing: { maxAge: MINUTE, edgeStale: HOUR },
  /** A search results page: like a listing (a deploy purges it through the `search:index` tag). */
  search: { maxAge: MINUTE, edgeStale: HOUR },
  /** Atom and JSON feeds. */
  feed: { maxAge: 2 * MINUTE, edgeStale: HOUR },
  sitemap: { maxAge: 5 * MINUTE, edgeStale: DAY },
  /** robots.txt: changes only with the code, and a new code version starts a new cache. */
  robots: { maxAge: DAY, edgeStale: DAY },
  /** Permanent redirects (old permalinks, missing trailing slash). */
  redirect: { maxAge: HOUR, edgeStale: DAY },
  /** Short, so a post published at a URL someone already tried shows up soon even without a purge. */
  'not-found': { maxAge: MINUTE, edgeStale: 0 },
  /** 5xx: never stored, so a transient failure is not replayed. */
  error: { maxAge: 0, edgeStale: 0 },
} as const satisfies Record<string, CachePolicy>

export type CacheKind = keyof typeof CACHE_POLICIES

/** Kinds whose responses are 2xx: the only ones preconditions apply to (RFC 9110 §13.2.1). */
const SUCCESSFUL: ReadonlySet<CacheKind> = new Set(['article', 'listing', 'search', 'feed', 'sitemap', 'robots'])

export function isSuccessKind(kind: CacheKind): boolean {
  return SUCCESSFUL.has(kind)
}

/** The Cache-Control and CDN-Cache-Control values of a kind. */
export function cacheControl(kind: CacheKind): { browser: string; edge?: string } {
  const { maxAge, edgeStale } = CACHE_POLICIES[kind]
  if (maxAge === 0) return { browser: 'no-store' }
  const browser = `public, max-age=${maxAge}`
  if (edgeStale === 0) return { browser }
  return { browser, edge: `${browser}, stale-while-revalidate=${edgeStale}, stale-if-error=${edgeStale}` }
}
