import { type Context, Hono } from 'hono'
import { IMAGE_PROXY_PREFIX, verifyImageProxyPath } from '../../shared/image-url.ts'
import { configuration } from '../configuration.ts'
import type { AppEnv } from '../env.ts'
import { archivedHeaders, findArchived, readObject, storeImage } from '../image-archive/bucket.ts'
import { collectBytes } from './collect.ts'
import { preconditionResponse } from './image-preconditions.ts'
import { errorResponse, ProxyError } from './proxy-error.ts'
import { teeInStep, withLength } from './stream.ts'
import { type FetchedImage, fetchImage } from './upstream.ts'

/**
 * `GET|HEAD /img/<signature>/<source>`: the image at a source URL this site
 * signed (shared/image-url.ts), from the edge cache, else from the archive in
 * R2 (image-archive/), else fetched from its source — and then archived and cached.
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
  const source = await verifyImageProxyPath(c.var.config.imageKey, pathname)
  if (source === null) throw new ProxyError(403, 'invalid signature')

  // Keyed by the signed path alone: a query string cannot bypass the cache.
  const cached = { cache: caches.default, key: new Request(`${origin}${pathname}`) }
  const { image, from } = await findImage(c, source, cached)
  const conditional = preconditionResponse(c.req.raw.headers, image.headers)
  if (conditional) {
    await image.body?.cancel()
    return conditional
  }
  const headers = new Headers(image.headers)
  headers.set('server-timing', `image;desc="${from}"`)
  if (c.req.method === 'HEAD') {
    await image.body?.cancel()
    return new Response(null, { headers })
  }
  return new Response(image.body, { headers })
}

/** Where an image came from, in its Server-Timing header: the edge cache, the archive in R2, or its source. */
type ImageSource = 'cache' | 'archive' | 'source'

interface CacheEntry {
  cache: Cache
  key: Request
}

async function findImage(
  c: Context<AppEnv>,
  source: string,
  cached: CacheEntry,
): Promise<{ image: Response; from: ImageSource }> {
  const hit = await cached.cache.match(cached.key)
  if (hit) return { image: hit, from: 'cache' }
  const archived = await fromArchive(c, source, cached)
  if (archived) return { image: archived, from: 'archive' }
  return { image: await fromSource(c, source, cached), from: 'source' }
}

/**
 * The archived copy (no request to the source at all, so a source that went
 * away changes nothing), fed to the edge cache as the reader receives it; null
 * when the image is not archived. HEAD and validated requests read only the
 * index entry. The archive failing is logged and the source asked instead.
 */
async function fromArchive(c: Context<AppEnv>, source: string, cached: CacheEntry): Promise<Response | null> {
  try {
    const entry = await findArchived(c.env.IMAGES, source)
    if (!entry) return null
    const headers = archivedHeaders(entry)
    if (c.req.method === 'HEAD' || preconditionResponse(c.req.raw.headers, headers))
      return new Response(null, { headers })
    const object = await readObject(c.env.IMAGES, entry)
    if (!object) return null
    const [forClient, forCache] = teeInStep(object.body)
    const stored = new Response(withLength(forCache.stream, object.size), { headers })
    c.executionCtx.waitUntil(store(cached, stored).finally(forCache.detach))
    return new Response(withLength(forClient.stream, object.size), { headers })
  } catch (error) {
    console.error('image archive unavailable, asking the source:', error)
    return null
  }
}

/**
 * The image from its source, streamed to the reader; alongside, in step with
 * the reader, a copy is gathered for the archive and the edge cache (write-through:
 * the first view archives an image deploy has not captured).
 */
async function fromSource(c: Context<AppEnv>, source: string, cached: CacheEntry): Promise<Response> {
  const fetched = await fetchImage(source, c.var.config.imageProxy)
  const [forClient, forArchive] = teeInStep(fetched.body)
  c.executionCtx.waitUntil(
    keepCopy(c.env.IMAGES, source, cached, forArchive.stream, fetched).finally(forArchive.detach),
  )
  return new Response(withLength(forClient.stream, fetched.length), { headers: fetched.headers })
}

/**
 * Archives and caches the image once the whole of it has passed the size
 * limit. A body that broke off (over the limit, upstream failure) is kept
 * nowhere: an archive or a cache entry must never be a truncated image.
 */
async function keepCopy(
  bucket: R2Bucket,
  source: string,
  cached: CacheEntry,
  stream: ReadableStream<Uint8Array>,
  fetched: FetchedImage,
): Promise<void> {
  const bytes = await collectBytes(stream).catch(() => null)
  if (!bytes || !fetched.complete()) return
  const headers = new Headers(fetched.headers)
  headers.set('content-length', String(bytes.byteLength))
  const [archived] = await Promise.allSettled([
    storeImage(bucket, source, { headers, bytes }),
    cached.cache.put(cached.key, new Response(bytes, { headers })),
  ])
  if (archived.status === 'rejected') console.error('image archive: write-through failed:', archived.reason)
}

/**
 * Streams the archived image into the cache alongside the client (in step
 * with it; the caller detaches the cache's branch once the put has settled,
 * should the put not have read it all).
 */
async function store({ cache, key }: CacheEntry, image: Response): Promise<void> {
  // A failed put (workerd refuses a broken body) only costs the next request an R2 read.
  await cache.put(key, image).catch(() => {})
}
