/**
 * The bench worker (`npm run bench`, section 3): the product app as shipped,
 * plus what only a benchmark needs. Never deployed.
 *
 * - `/_bench/native/<post path>`: the native HTMLRewriter anchor (native-article.tsx).
 * - `/_bench/cache-api/<path>`: the page as a bare Cache API hit (cache-api-hit.ts).
 * - `/_bench/render/<post path>?n=N`: the post rendered N times, to read workerd's CPU time (render-loop.ts).
 * - Header `x-bench-edge-cache: miss`: the request reaches the app as it does
 *   behind Workers Cache on a miss — with `ctx.cache` present, so the worker's
 *   own render cache steps aside (see src/worker/cache/render-cache.ts) and the
 *   route reads KV and renders: the "cache bypassed" case.
 * - Anything else: the product app, untouched.
 */
import { Hono } from 'hono'
import { app } from '../../src/worker/app.ts'
import { recordKvReads } from '../../src/worker/cache/record-reads.ts'
import { configuration } from '../../src/worker/configuration.ts'
import type { AppEnv } from '../../src/worker/env.ts'
import { misconfiguredPage } from '../../src/worker/routes/pages.tsx'
import { securityHeaders } from '../../src/worker/security-headers.ts'
import { cacheApiHit } from './cache-api-hit.ts'
import { nativeArticle } from './native-article.tsx'
import { BENCH_PREFIX, CACHE_API_PREFIX, EDGE_CACHE_HEADER, NATIVE_PREFIX, RENDER_PREFIX } from './protocol.ts'
import { renderLoop } from './render-loop.ts'

const bench = new Hono<AppEnv>()
bench.use(securityHeaders, configuration(misconfiguredPage), recordKvReads)
bench.get(`${NATIVE_PREFIX}/:year/:month/:day/:title/`, nativeArticle)
bench.get(`${CACHE_API_PREFIX}/*`, cacheApiHit)
bench.get(`${RENDER_PREFIX}/:year/:month/:day/:title/`, renderLoop)

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> | Response {
    if (request.url.includes(BENCH_PREFIX)) return bench.fetch(request, env, ctx)
    return app.fetch(request, env, request.headers.get(EDGE_CACHE_HEADER) === 'miss' ? behindWorkersCache(ctx) : ctx)
  },
} satisfies ExportedHandler<Env>

/** The context of a request Workers Cache let through. Purging it is not part of any benchmark. */
function behindWorkersCache(ctx: ExecutionContext): ExecutionContext {
  const refuse = () => Promise.reject(new Error('the bench worker has no Workers Cache to purge'))
  const cache: CacheContext = { purge: refuse, invalidate: refuse }
  return {
    waitUntil: (promise) => ctx.waitUntil(promise),
    passThroughOnException: () => ctx.passThroughOnException(),
    props: ctx.props,
    cache,
  } as ExecutionContext
}
