import type { Context } from 'hono'
import { DEFAULT_SITE_NAME } from '../../shared/config.ts'
import { cacheable } from '../cache/respond.ts'
import type { AppEnv } from '../env.ts'
import { ErrorPage } from '../views/error-page.tsx'

/** An HTML error page; `reason` goes to the log, never to the reader. */
export function errorPage(c: Context<AppEnv>, status: 404 | 500, reason?: string) {
  if (reason) console.error(`${status} ${c.req.path}: ${reason}`)
  const html = errorHtml(c.var.config.siteName, status)
  return cacheable(c, status === 404 ? 'not-found' : 'error', () => c.html(html, status))
}

/**
 * The 500 page while the configuration is broken (configuration.ts logged why):
 * nothing configured can be used, not the site name, nor the code version
 * validators are made of. Never stored.
 */
export function misconfiguredPage(c: Context<AppEnv>) {
  return c.html(errorHtml(DEFAULT_SITE_NAME, 500), 500, { 'cache-control': 'no-store' })
}

function errorHtml(siteName: string, status: 404 | 500): string {
  const message = status === 404 ? 'This page does not exist.' : 'This page could not be shown.'
  return `<!doctype html>${(<ErrorPage siteName={siteName} status={status} message={message} />).toString()}`
}
