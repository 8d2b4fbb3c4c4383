import { type Context, Hono } from 'hono'
import { isAuthorised } from '../bearer.ts'
import type { AppEnv } from '../env.ts'
import { purgeLocally, workersCache } from './render-cache.ts'

/**
 * `POST /_cache/purge` and `POST /_cache/invalidate`: the deploy tool's way
 * into this worker's caches, since Workers Cache can only be purged from
 * inside its own worker (zone purges do not reach it).
 *
 *   Authorization: Bearer <CACHE_PURGE_TOKEN>
 *   { "tags": ["post:2022-11-15-…", …] } | { "pathPrefixes": ["/2022/"] } | { "purgeEverything": true }
 *
 * With Workers Cache in front, the options go to `ctx.cache.purge` (entries
 * deleted) or `ctx.cache.invalidate` (kept but revalidated with their ETag:
 * unchanged pages cost a 304). Without it, the worker's own render cache in
 * this isolate is purged; see render-cache.ts. Without the secret set, the
 * endpoint does not exist.
 */
export const cachePurge = new Hono<AppEnv>()

/** Most tags one request may name (deploy sends at most 100; Cloudflare limits purges too). */
export const MAX_PURGE_TAGS = 1000
const MAX_BODY_BYTES = 256 * 1024

cachePurge.post('/_cache/:action{purge|invalidate}', async (c) => {
  const secret = c.var.config.purgeToken
  if (!secret) return c.notFound()
  if (!(await isAuthorised(c.req.header('authorization'), secret))) {
    return reply(
      c,
      401,
      { success: false, errors: [{ code: 401, message: 'a valid bearer token is required' }] },
      { 'www-authenticate': 'Bearer' },
    )
  }
  const options = parseOptions(await c.req.text())
  if (typeof options === 'string') return reply(c, 400, { success: false, errors: [{ code: 400, message: options }] })

  const edge = workersCache(c)
  if (edge) {
    const result = c.req.param('action') === 'purge' ? await edge.purge(options) : await edge.invalidate(options)
    return reply(c, result.success ? 200 : 502, { ...result, scope: 'workers-cache' })
  }
  // The local cache cannot select by path prefix; purging everything is the safe superset.
  purgeLocally(options.purgeEverything || options.pathPrefixes ? '*' : (options.tags ?? []))
  return reply(c, 200, { success: true, errors: [], scope: 'isolate' })
})

function reply(c: Context<AppEnv>, status: 200 | 400 | 401 | 502, body: object, headers: Record<string, string> = {}) {
  return c.json(body, status, { 'cache-control': 'no-store', ...headers })
}

/** The purge options of a request body, or what is wrong with it. */
function parseOptions(text: string): CachePurgeOptions | string {
  if (text.length > MAX_BODY_BYTES) return `body over ${MAX_BODY_BYTES} bytes`
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return 'body is not JSON'
  }
  if (typeof body !== 'object' || body === null) return 'body is not a JSON object'
  const { tags, pathPrefixes, purgeEverything } = body as Record<string, unknown>
  const given = [tags, pathPrefixes, purgeEverything].filter((v) => v !== undefined).length
  if (given !== 1) return 'give exactly one of tags, pathPrefixes, purgeEverything'
  if (purgeEverything !== undefined)
    return purgeEverything === true ? { purgeEverything: true } : 'purgeEverything must be true'
  const list = (tags ?? pathPrefixes) as unknown
  const name = tags !== undefined ? 'tags' : 'pathPrefixes'
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_PURGE_TAGS)
    return `${name} must be a list of 1 to ${MAX_PURGE_TAGS} strings`
  if (!list.every((item) => typeof item === 'string' && /^[\x21-\x7e]+$/.test(item) && !item.includes(','))) {
    return `${name} must be visible ASCII without commas (see shared/cache-tags.ts for how keys become tags)`
  }
  return tags !== undefined ? { tags: list as string[] } : { pathPrefixes: list as string[] }
}
