import type { Context } from 'hono'
import { cacheTagHeader } from '../../shared/cache-tags.ts'
import type { AppEnv } from '../env.ts'
import { CACHE_POLICIES, type CacheKind, cacheControl, isSuccessKind } from './cache-policy.ts'
import { evaluatePreconditions, notModified, preconditionFailed } from './preconditions.ts'
import { type RequestState, stateOf } from './request-state.ts'
import { httpDate, strongEtag } from './validators.ts'
import { codeVersion } from './version.ts'

export interface CacheableOptions {
  /** When the content last changed (a post's `updated`, else its date); ISO 8601 or a Date. */
  lastModified?: string | Date
}

/** Kinds served as HTML; a 304 says so too, so response middleware treats it like its 200. */
const HTML_KINDS: ReadonlySet<CacheKind> = new Set(['article', 'listing', 'not-found', 'error'])

/**
 * The one call a route makes, after its KV reads and before rendering:
 *
 *   return cacheable(c, 'article', () => c.html(render(post)), { lastModified: post.updated ?? post.date })
 *
 * Sets ETag (from the KV values the request read and the code version),
 * Last-Modified, Cache-Control, CDN-Cache-Control and Cache-Tag (the keys
 * read) by the kind's policy, and answers a matching conditional GET/HEAD with
 * 304 (or 412) without calling `produce` — no render for a revalidation.
 * Needs the `renderCache` middleware in front of the route.
 */
export async function cacheable(
  c: Context<AppEnv>,
  kind: CacheKind,
  produce: () => Response | Promise<Response>,
  options: CacheableOptions = {},
): Promise<Response> {
  const state = requestState(c, kind)
  state.kind = kind
  const headers = await validatorHeaders(c, state, kind, options)

  if (isSuccessKind(kind)) {
    const etag = headers.get('etag')!
    const lastModified = headers.has('last-modified') ? Date.parse(headers.get('last-modified')!) : undefined
    const result = evaluatePreconditions(c.req.raw.headers, { etag, lastModified })
    if (result === 'not-modified') return notModified(headers)
    if (result === 'precondition-failed') return preconditionFailed()
  }

  state.produced = true
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
function requestState(c: Context<AppEnv>, kind: CacheKind): RequestState {
  const state = stateOf(c)
  if (kind === 'error') return state ?? { log: { reads: [], unversioned: [] }, produced: false }
  if (!state)
    throw new Error(
      `cacheable(${kind}) on ${c.req.path}: the renderCache middleware does not run in front of this route`,
    )
  if (state.log.unversioned.length > 0) {
    throw new Error(
      `cacheable(${kind}) on ${c.req.path}: built from KV reads that cannot be versioned: ${state.log.unversioned.join(', ')}`,
    )
  }
  return state
}

async function validatorHeaders(
  c: Context<AppEnv>,
  state: RequestState,
  kind: CacheKind,
  options: CacheableOptions,
): Promise<Headers> {
  // Sorted, so parallel reads finishing in any order give the same tag.
  const reads = [...state.log.reads].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  // The origin too: pages name it (canonical links), and Workers Cache keys by path alone.
  const parts = [kind, codeVersion(c.env), new URL(c.req.url).origin]
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
