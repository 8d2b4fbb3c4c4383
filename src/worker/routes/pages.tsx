import type { Context } from 'hono'
import { cacheable } from '../cache/respond.ts'
import type { AppEnv } from '../env.ts'
import { ErrorPage } from '../views/error-page.tsx'

export function siteName(c: Context<AppEnv>): string {
  return c.env.SITE_NAME || 'News Archive'
}

/** An HTML error page; `reason` goes to the log, never to the reader. */
export function errorPage(c: Context<AppEnv>, status: 404 | 500, reason?: string) {
  if (reason) console.error(`${status} ${c.req.path}: ${reason}`)
  const message = status === 404 ? 'This page does not exist.' : 'This page could not be shown.'
  const html = `<!doctype html>${(<ErrorPage siteName={siteName(c)} status={status} message={message} />).toString()}`
  return cacheable(c, status === 404 ? 'not-found' : 'error', () => c.html(html, status))
}
