import { Hono } from 'hono'
import { cachePurge } from './cache/purge.ts'
import { recordKvReads } from './cache/record-reads.ts'
import { renderCache } from './cache/render-cache.ts'
import { configuration } from './configuration.ts'
import type { AppEnv } from './env.ts'
import { imageArchive } from './image-archive/routes.ts'
import { imageProxy } from './image-proxy/index.ts'
import { canonicalQuery, pageMethods } from './page-requests.ts'
import { favicon } from './routes/favicon.ts'
import { feeds } from './routes/feeds.ts'
import { listings } from './routes/listing-pages.tsx'
import { errorPage, misconfiguredPage } from './routes/pages.tsx'
import { post } from './routes/post.ts'
import { redirects } from './routes/redirects.ts'
import { robots } from './routes/robots.ts'
import { search } from './routes/search.tsx'
import { sitemap } from './routes/sitemap.ts'
import { SEARCH_PATH } from './search/query.ts'
import { securityHeaders } from './security-headers.ts'

export const app = new Hono<AppEnv>()

app.use(securityHeaders)

// Liveness, and the floor of `npm run bench`: no configuration, no KV, no cache, nothing but the app itself.
app.get('/healthz', (c) => c.text('ok', 200, { 'cache-control': 'no-store' }))
app.route('/', favicon)
// The image proxy reads the configuration itself (its failures are plain text) and caches images its own way.
app.route('/', imageProxy)
// Everything below: `c.var.config` and KV read through `c.var.kv`.
app.use(configuration(misconfiguredPage), recordKvReads)
app.route('/', cachePurge)
// Token-guarded POST endpoints for deploy's image capture: before the page routes' method check.
app.route('/', imageArchive)
// Everything below is a page route: GET and HEAD only, no query string but search's, and caching
// (validators, policies, the render cache), also for not-found pages.
app.use(pageMethods, canonicalQuery([SEARCH_PATH]), renderCache)
app.route('/', listings)
app.route('/', feeds)
app.route('/', sitemap)
app.route('/', robots)
app.route('/', search)
// Before `post`, whose dated route would otherwise take `/:year/:month/:day/:title.html`.
app.route('/', redirects)
app.route('/', post)

app.notFound((c) => errorPage(c, 404))
app.onError((err, c) => errorPage(c, 500, err.stack ?? String(err)))
