import type { Context } from 'hono'
import { cacheTagHeader } from '../../shared/cache-tags.ts'
import type { AppEnv } from '../env.ts'
import { CACHE_POLICIES, type CacheKind, cacheControl, isSuccessKind } from './cache-policy.ts'
import { conditionalAnswer, evaluatePreconditions, notModified, validatorsOf } from './preconditions.ts'
import type { RecordedRead } from './recording-kv.ts'
import { httpDate, strongEtag } from './validators.ts'

export interface CacheableOptions {
  /** When the content last changed (a post's `updated`, else its date); ISO 8601 or a Date. */
  lastModified?: string | Date
  /** What besides the KV reads decides the body, such as a search's URL (its query and page): part of the ETag. */
  variant?: string
}

/** Kinds served as HTML; a 304 says so too, so response middleware treats it like its 200. */
const HTML_KINDS: ReadonlySet<CacheKind> = new Set(['article', 'listing', 'search', 'not-found', 'error'])

/**
 * The one call a route makes, after its KV reads and before rendering:
 *
 *   return cacheable(c, 'article', () => c.html(render(post)), { lastModified: post.updated ?? post.date })
 *
 * Sets ETag (from the KV values the request read through `c.var.kv` and the
 * code version), Last-Modified, Cache-Control, CDN-Cache-Control and
 * Cache-Tag (the keys read) by the kind's policy. Evaluates the client's
 * preconditions — the one time in a request — and answers 304 (or 412)
 * without calling `produce`: no render for a revalidation. Where the render
 * cache stores the response (`c.var.renderCache`) it renders anyway, unless
 * the cache's stale copy is this very version, and leaves the answer to it.
 */
export async function cacheable(
  c: Context<AppEnv>,
  kind: CacheKind,
  produce: () => Response | Promise<Response>,
  options: CacheableOptions = {},
): Promise<Response> {
  const headers = await validatorHeaders(c, kind, options)
  c.set('cacheKind', kind)
  // Preconditions apply only to what would be a 2xx (RFC 9110 §13.2.1).
  const current = validatorsOf(headers)!
  const verdict = isSuccessKind(kind) ? evaluatePreconditions(c.req.raw.headers, current) : 'send'
  c.set('preconditions', verdict)

  const renderCache = c.get('renderCache')
  if (renderCache) {
    // The render cache answers the client; it needs a body to store, unless its stale copy is this version.
    if (renderCache.staleEtag === current.etag) return notModified(headers)
  } else {
    const answer = conditionalAnswer(verdict, headers)
    if (answer) return answer
  }

  const produced = await produce()
  // Buffered, so GET and HEAD both say how long the body is.
  const body = await produced.arrayBuffer()
  const response = new Response(body, produced)
  for (const [name, value] of headers) if (name !== 'content-type') response.headers.set(name, value)
  response.headers.set('content-length', String(body.byteLength))
  return response
}

/**
 * The request's recorded reads. A wiring mistake throws, except on the error
 * page, which must always render (it is never stored, and shows no KV data).
 */
function readsOf(c: Context<AppEnv>, kind: CacheKind): readonly RecordedRead[] {
  const kv = c.get('kv')
  if (kv) return kv.reads
  if (kind === 'error') return []
  throw new Error(
    `cacheable(${kind}) on ${c.req.path}: the recordKvReads middleware does not run in front of this route`,
  )
}

async function validatorHeaders(c: Context<AppEnv>, kind: CacheKind, options: CacheableOptions): Promise<Headers> {
  // Sorted, so parallel reads finishing in any order give the same tag.
  const reads = [...readsOf(c, kind)].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  // The origin too: pages name it (canonical links), and Workers Cache keys by path alone.
  const parts = [kind, c.var.config.codeVersion, new URL(c.req.url).origin]
  if (options.variant !== undefined) parts.push(options.variant)
  const etag = await strongEtag([...parts, ...reads.flatMap(({ key, text }) => [key, text ?? '\u0000absent'])])
  const headers = new Headers({ etag })
  const lastModified = options.lastModified === undefined ? NaN : new Date(options.lastModified).getTime()
  if (!Number.isNaN(lastModified)) headers.set('last-modified', httpDate(new Date(lastModified)))

  const { browser, edge } = cacheControl(kind)
  headers.set('cache-control', browser)
  if (edge) headers.set('cdn-cache-control', edge)
  if (CACHE_POLICIES[kind].maxAge > 0 && reads.length > 0)
    headers.set('cache-tag', cacheTagHeader(reads.map((r) => r.key)))
  if (HTML_KINDS.has(kind)) headers.set('content-type', 'text/html; charset=UTF-8')
  return headers
}

/** A cacheable 301 (old permalinks, page-1 aliases, missing trailing slashes). */
export function permanentRedirect(c: Context<AppEnv>, location: string): Promise<Response> {
  return cacheable(c, 'redirect', () => c.redirect(location, 301))
}
