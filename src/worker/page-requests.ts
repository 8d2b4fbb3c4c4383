import type { MiddlewareHandler } from 'hono'
import { cacheControl } from './cache/cache-policy.ts'

/**
 * Middleware for the page routes (pages, feeds, sitemaps, robots.txt): they answer GET and HEAD only.
 * Anything else is a 405 that no cache keeps, whatever the path, so a POST is never answered with a
 * cacheable 404 (the endpoints that take other methods, such as the cache purge, come before this).
 */
export const pageMethods: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
  return c.text('Method not allowed', 405, { allow: 'GET, HEAD', 'cache-control': 'no-store' })
}

/**
 * Middleware: page routes are paths (`/page/2/` included), so a URL with a query string is answered
 * with a 301 to the same path without it, before any cache or KV is asked — except on the paths in
 * `readsQuery` (search), whose routes make their own canonical address of the parameters they read.
 *
 * A redirect rather than a cache key without the query: Workers Cache, where it stands in front,
 * keys by the whole URL, so `/?x=1` … `/?x=200` would each still reach the worker and render there;
 * a redirect costs no KV read and no render wherever it is answered, and readers, crawlers and
 * caches all end up on the one canonical URL. The redirect itself is cached like every permanent one.
 */
export function canonicalQuery(readsQuery: readonly string[]): MiddlewareHandler {
  const exempt = new Set(readsQuery)
  return async (c, next) => {
    const url = new URL(c.req.url)
    if (url.search === '' || exempt.has(url.pathname)) return next()
    const { browser, edge } = cacheControl('redirect')
    c.header('cache-control', browser)
    if (edge) c.header('cdn-cache-control', edge)
    // One leading slash: `//evil.example/?x` must not become a Location to another host.
    return c.redirect(`/${url.pathname.replace(/^\/+/, '')}`, 301)
  }
}
