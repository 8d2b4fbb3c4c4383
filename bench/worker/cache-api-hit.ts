import type { Context } from 'hono'
import { app } from '../../src/worker/app.ts'
import type { AppEnv } from '../../src/worker/env.ts'
import { CACHE_API_PREFIX } from './protocol.ts'

/**
 * A page as a bare Cache API hit: `caches.default.match` and the stored
 * response returned, none of the render cache's bookkeeping. Against the
 * render-cache hit it shows what the runtime's cache costs by itself (in
 * Miniflare, a call to its cache service) and what the product adds. The
 * first request stores the product's page.
 */
export async function cacheApiHit(c: Context<AppEnv>): Promise<Response> {
  const key = new Request(c.req.url)
  const hit = await caches.default.match(key)
  if (hit) return hit
  const page = await app.fetch(
    new Request(new URL(c.req.path.slice(CACHE_API_PREFIX.length), c.req.url)),
    c.env,
    c.executionCtx,
  )
  if (page.status !== 200) return page
  const headers = new Headers(page.headers)
  headers.set('cache-control', 'max-age=86400')
  const body = await page.arrayBuffer()
  await caches.default.put(key, new Response(body, { headers }))
  return new Response(body, { headers })
}
