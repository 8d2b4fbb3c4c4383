import { Hono } from 'hono'
import { cacheable } from '../cache/respond.ts'
import { siteOrigin } from '../configuration.ts'
import type { AppEnv } from '../env.ts'

/** Everything may be crawled; the sitemap lists every post. */
export const robots = new Hono<AppEnv>()

robots.get('/robots.txt', (c) =>
  cacheable(c, 'robots', () => c.text(`User-agent: *\nAllow: /\n\nSitemap: ${siteOrigin(c)}/sitemap.xml\n`)),
)
