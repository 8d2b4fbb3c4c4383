import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'

/** Everything may be crawled; the sitemap lists every post. */
export const robots = new Hono<AppEnv>()

robots.get('/robots.txt', (c) => c.text(`User-agent: *\nAllow: /\n\nSitemap: ${new URL(c.req.url).origin}/sitemap.xml\n`))
