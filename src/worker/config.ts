import type { Context } from 'hono'
import { importImageKey } from '../shared/image-url.ts'
import type { AppEnv } from './env.ts'
import type { RenderConfig } from './render/index.tsx'

let cachedKey: { secret: string; key: Promise<CryptoKey> } | undefined

/** The image key, imported once per isolate (per secret). */
export function imageKey(secret: string): Promise<CryptoKey> {
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: importImageKey(secret) }
  return cachedKey.key
}

/**
 * The site's public origin: `SITE_URL` when set, else the request's. Pages embed it (canonical,
 * og:url, feeds, sitemap), and Workers Cache keys by path, so a site served on several hostnames
 * should set it.
 */
export function siteOrigin(c: Context<AppEnv>): string {
  return new URL(c.env.SITE_URL || c.req.url).origin
}

/** Render configuration for this request. A missing secret is a deployment error, reported as such. */
export async function renderConfig(c: Context<AppEnv>): Promise<RenderConfig> {
  const secret = c.env.IMAGE_PROXY_KEY
  if (!secret)
    throw new Error('IMAGE_PROXY_KEY is not set: `wrangler secret put IMAGE_PROXY_KEY` (or .dev.vars locally)')
  return {
    siteName: c.env.SITE_NAME || 'News Archive',
    origin: siteOrigin(c),
    imageKey: await imageKey(secret),
  }
}
