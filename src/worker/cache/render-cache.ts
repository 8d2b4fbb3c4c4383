import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'
import { CACHE_POLICIES, type CacheKind } from './cache-policy.ts'
import { type CachedPage, IsolateCache } from './isolate-cache.ts'
import { conditionalAnswer, evaluatePreconditions, type PreconditionResult, validatorsOf } from './preconditions.ts'

/**
 * The worker's own cache of rendered responses, for where Workers Cache does
 * not stand in front of the worker (local dev and tests; a runtime without
 * `ctx.cache`). Where it does, a request that reaches the worker is a miss or
 * a revalidation of that cache, and a second cache here would only hold
 * copies a deploy's purge cannot reach — so this one steps aside.
 *
 * Entries are keyed by URL and code version and live at two levels: this
 * isolate's memory (isolate-cache.ts: a hot page costs no call to the
 * runtime's cache) in front of `caches.default` (one data centre, shared by
 * its isolates). One freshness rule holds for both: an entry is served
 * without a KV read or a render while fresh (the kind's max-age, or until a
 * local purge of one of its tags). After that the route runs knowing the
 * entry's ETag: unchanged content costs the route's KV reads and a hash, and
 * only changed content is rendered again.
 *
 * It tells `cacheable` what it holds (`c.var.renderCache`); `cacheable`
 * evaluates the client's preconditions and leaves the verdict in
 * `c.var.preconditions`, which this middleware applies to what it answers.
 */
export const renderCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || workersCache(c) !== undefined || !c.var.config.renderCache)
    return next()

  const key = cacheKey(c)
  let stored = isolateCache.get(key)
  if (!stored || !isFresh(stored, storeTime())) {
    // Another isolate of this data centre may hold a newer copy.
    const match = await caches.default.match(key)
    const shared = match && (await fromCacheApi(match))
    if (shared && (!stored || shared.storedAt > stored.storedAt)) {
      stored = shared
      isolateCache.set(key, shared)
    }
  }
  const now = storeTime()
  if (stored && isFresh(stored, now)) {
    // The route does not run, so its preconditions are evaluated here, once.
    const hit = served(stored, now)
    const current = hit.status === 200 ? validatorsOf(hit.headers) : null
    return timed(answer(current ? evaluatePreconditions(c.req.raw.headers, current) : 'send', hit), 'hit')
  }

  const staleEtag = stored?.headers.get('etag') ?? null
  c.set('renderCache', { staleEtag })
  await next()
  // Evaluated by `cacheable` against the route's validators; a route that never called it sends as it is.
  const verdict = c.get('preconditions') ?? 'send'

  const kind = c.get('cacheKind')
  let answered: Response
  let status: CacheStatus = stored ? 'updated' : 'miss'
  if (stored && c.res.status === 304 && c.res.headers.get('etag') === staleEtag) {
    // `cacheable` found the stale copy current: it is fresh again, and nothing was rendered.
    const refreshed = { ...stored, storedAt: now, freshUntil: now + (stored.freshUntil - stored.storedAt) }
    keep(c, key, refreshed)
    answered = answer(verdict, served(refreshed, now))
    status = 'revalidated'
  } else if (kind !== undefined && isStorable(c.res, kind)) {
    const page = await pageOf(c.res, kind, now)
    keep(c, key, page)
    answered = answer(verdict, new Response(page.body, { status: page.status, headers: page.headers }))
  } else {
    // A copy: a route's response may have immutable headers (one from fetch(), Response.redirect()).
    answered = new Response(c.res.body, c.res)
  }
  c.res = undefined
  c.res = timed(answered, status)
}

/** What the client gets: the response, or the 304/412 its preconditions call for. */
function answer(verdict: PreconditionResult, full: Response): Response {
  return conditionalAnswer(verdict, full.headers) ?? full
}

/**
 * hit: served from the cache, the route did not run; revalidated: the route found the stale copy
 * current, nothing rendered; miss, updated (a stale copy was there): the route rendered the answer.
 */
type CacheStatus = 'hit' | 'miss' | 'revalidated' | 'updated'

/** Workers Cache, when it stands in front of this worker. */
export function workersCache(c: Context): CacheContext | undefined {
  try {
    // Hono types the context as its own subset of ExecutionContext.
    return (c.executionCtx as { cache?: CacheContext }).cache
  } catch {
    return undefined // no execution context (app.request in a unit test)
  }
}

/** The key at both levels: a URL string (no Request to build for a hit held in this isolate). */
function cacheKey(c: Context<AppEnv>): string {
  const url = new URL(c.req.url)
  // Same host as the request (Cloudflare's advice for the Cache API); the code version as a path segment.
  return `${url.origin}/_render-cache/${encodeURIComponent(c.var.config.codeVersion)}${url.pathname}${url.search}`
}

/** The cache status for the curious, in Server-Timing. */
function timed(response: Response, status: CacheStatus): Response {
  const rendered = status === 'miss' || status === 'updated'
  response.headers.set('server-timing', `cache;desc="${status}"${rendered ? ', render' : ''}`)
  return response
}

function isStorable(response: Response, kind: CacheKind): boolean {
  return (
    CACHE_POLICIES[kind].maxAge > 0 && response.status !== 304 && response.status < 500 && response.headers.has('etag')
  )
}

/** What all pages held in an isolate may take: a few megabytes of its 128 MB. */
const ISOLATE_CACHE_BYTES = 8 * 1024 * 1024
const isolateCache = new IsolateCache(ISOLATE_CACHE_BYTES)

/** Keeps a page at both levels (the Cache API's copy written after the response). */
function keep(c: Context<AppEnv>, key: string, page: CachedPage): void {
  isolateCache.set(key, page)
  c.executionCtx.waitUntil(caches.default.put(key, toCacheApi(page)))
}

/** A response the route produced, to keep. Pages are small: held whole, they keep their Content-Length. */
async function pageOf(response: Response, kind: CacheKind, now: number): Promise<CachedPage> {
  const { maxAge, edgeStale } = CACHE_POLICIES[kind]
  const headers = new Headers(response.headers)
  return {
    status: response.status,
    headers,
    body: await response.arrayBuffer(),
    storedAt: now,
    freshUntil: now + maxAge * 1000,
    keepSeconds: maxAge + edgeStale,
    tags: tagsOf(headers),
  }
}

/** A held page as the client gets it: `Age` keeps downstream caches to the same end of freshness (RFC 9111 §5.1). */
function served(page: CachedPage, now: number): Response {
  // The Response copies the headers: the held page stays as it is.
  const response = new Response(page.body, { status: page.status, headers: page.headers })
  response.headers.set('age', String(Math.max(0, Math.floor((now - page.storedAt) / 1000))))
  return response
}

function tagsOf(headers: Headers): string[] {
  // Cache tags compare case-insensitively, as at Cloudflare.
  return (headers.get('cache-tag') ?? '').toLowerCase().split(',')
}

// The Cache API's copy keeps the response's own caching fields aside and carries
// the Cache API's: how long to keep it (max-age plus the revalidation window).
const STORED_AT = 'x-render-cache-stored-at'
const FRESH_UNTIL = 'x-render-cache-fresh-until'
const KEPT_CACHE_CONTROL = 'x-render-cache-control'
const KEPT_CDN_CACHE_CONTROL = 'x-render-cache-cdn-control'

function toCacheApi(page: CachedPage): Response {
  const headers = new Headers(page.headers)
  headers.set(KEPT_CACHE_CONTROL, headers.get('cache-control') ?? '')
  headers.set(KEPT_CDN_CACHE_CONTROL, headers.get('cdn-cache-control') ?? '')
  headers.delete('cdn-cache-control')
  headers.set('cache-control', `max-age=${page.keepSeconds}`)
  headers.set(STORED_AT, String(page.storedAt))
  headers.set(FRESH_UNTIL, String(page.freshUntil))
  return new Response(page.body, { status: page.status, headers })
}

async function fromCacheApi(stored: Response): Promise<CachedPage> {
  const headers = new Headers(stored.headers)
  const keepSeconds = Number(/max-age=(\d+)/.exec(headers.get('cache-control') ?? '')?.[1] ?? 0)
  const page = {
    status: stored.status,
    headers,
    body: await stored.arrayBuffer(),
    storedAt: Number(headers.get(STORED_AT)),
    freshUntil: Number(headers.get(FRESH_UNTIL)),
    keepSeconds,
    tags: tagsOf(headers),
  }
  headers.set('cache-control', headers.get(KEPT_CACHE_CONTROL) ?? 'no-store')
  const cdn = headers.get(KEPT_CDN_CACHE_CONTROL)
  if (cdn) headers.set('cdn-cache-control', cdn)
  // The Cache API adds its own status; ours is in Server-Timing.
  for (const name of [STORED_AT, FRESH_UNTIL, KEPT_CACHE_CONTROL, KEPT_CDN_CACHE_CONTROL, 'cf-cache-status'])
    headers.delete(name)
  return page
}

/** Tag → when this isolate was last asked to purge it; '*' for everything. */
const purgedAt = new Map<string, number>()
let lastPurge = -Infinity

/**
 * The time an entry is stored at: now, but after any purge this isolate has
 * seen. Workers clocks stand still between I/O, so a purge and a later store
 * can read the same millisecond; the store must still count as after it.
 */
function storeTime(): number {
  return Math.max(Date.now(), lastPurge + 1)
}

/**
 * Purges this isolate's view of the render cache: entries carrying one of the
 * tags (or all, for '*') are revalidated before their next use. The Cache API
 * cannot delete by tag, and other isolates and data centres do not see this;
 * there, entries stay at most their max-age, as they would anyway.
 */
export function purgeLocally(tags: readonly string[] | '*'): void {
  const now = Date.now()
  for (const tag of tags === '*' ? ['*'] : tags) purgedAt.set(tag.toLowerCase(), now)
  lastPurge = Math.max(lastPurge, now)
}

function isFresh(page: CachedPage, now: number): boolean {
  if (now >= page.freshUntil) return false
  const purged = (tag: string) => (purgedAt.get(tag) ?? -Infinity) >= page.storedAt
  return !purged('*') && !page.tags.some(purged)
}
