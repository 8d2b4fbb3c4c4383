import { type Context, Hono } from 'hono'
import { IMAGE_PROXY_PREFIX, verifyImageProxyPath } from '../../shared/image-url.ts'
import { configuration } from '../configuration.ts'
import type { AppEnv } from '../env.ts'
import { preconditionResponse } from './image-preconditions.ts'
import { errorResponse, ProxyError } from './proxy-error.ts'
import { teeInStep, withLength } from './stream.ts'
import { fetchImage } from './upstream.ts'

/**
 * `GET|HEAD /img/<signature>/<source>`: the image at a source URL this site
 * signed (shared/image-url.ts), fetched once and then served from the edge cache.
 */
export const imageProxy = new Hono<AppEnv>()

/** Longest accepted path: a source URL of about 3 KB. */
const MAX_PATH_LENGTH = 4096

const route = `${IMAGE_PROXY_PREFIX}*`

// A broken configuration answers as every proxy failure does: a short plain-text 500 (the reason is logged once).
imageProxy.use(
  route,
  configuration(() => errorResponse(new ProxyError(500, 'image proxy misconfigured'))),
)

// Hono dispatches HEAD as GET; the handler tells them apart by the raw method.
imageProxy.get(route, async (c) => {
  try {
    return await serveImage(c)
  } catch (error) {
    if (error instanceof ProxyError) return errorResponse(error)
    throw error
  }
})

imageProxy.all(route, () => errorResponse(new ProxyError(405, 'method not allowed'), { allow: 'GET, HEAD' }))

async function serveImage(c: Context<AppEnv>): Promise<Response> {
  const { pathname, origin } = new URL(c.req.url)
  if (pathname.length > MAX_PATH_LENGTH) throw new ProxyError(414, 'path too long')
  const { imageKey, imageProxy: settings } = c.var.config
  const source = await verifyImageProxyPath(imageKey, pathname)
  if (source === null) throw new ProxyError(403, 'invalid signature')

  // Keyed by the signed path alone: a query string cannot bypass the cache.
  const cacheKey = new Request(`${origin}${pathname}`)
  const cache = caches.default
  let image = await cache.match(cacheKey)
  if (!image) {
    const fetched = await fetchImage(source, settings)
    const [forClient, forCache] = teeInStep(fetched.body)
    const stored = new Response(withLength(forCache.stream, fetched.length), { headers: fetched.headers })
    c.executionCtx.waitUntil(store(cache, cacheKey, stored, fetched.complete).finally(forCache.detach))
    image = new Response(withLength(forClient.stream, fetched.length), { headers: fetched.headers })
  }
  const conditional = preconditionResponse(c.req.raw.headers, image.headers)
  if (conditional) {
    await image.body?.cancel()
    return conditional
  }
  if (c.req.method === 'HEAD') {
    await image.body?.cancel()
    return new Response(null, { headers: image.headers })
  }
  return new Response(image.body, { headers: image.headers })
}

/**
 * Streams the image into the cache alongside the client (in step with it, so
 * nothing piles up in memory; the caller detaches the cache's branch once the
 * put has settled, should the put not have read it all). A body that broke
 * off (over the size limit, upstream failure) must not stay cached as if it
 * were whole, and a local cache may keep what it received before the error:
 * such an entry is removed again.
 */
async function store(cache: Cache, key: Request, image: Response, complete: () => boolean): Promise<void> {
  // workerd rejects the put of a broken body, yet Miniflare's cache has been seen to keep it.
  await cache.put(key, image).catch(() => {})
  if (!complete()) await cache.delete(key)
}
