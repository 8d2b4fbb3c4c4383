import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'

/**
 * The site's icon, declared by the layout. Without one, browsers ask for /favicon.ico on every
 * first visit and log the 404. Static: it changes only with the code, so a day's caching is safe.
 */
export const favicon = new Hono<AppEnv>()

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b57d0"/>' +
  '<path d="M9 23V9h3l8 9V9h3v14h-3l-8-9v9z" fill="#fff"/></svg>'

favicon.get('/favicon.svg', (c) =>
  c.body(ICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }),
)
