import type { Context, MiddlewareHandler } from 'hono'
import { ConfigError, parseConfig } from '../shared/config.ts'
import { importImageKey } from '../shared/image-url.ts'
import { codeVersion } from './cache/version.ts'
import type { AppEnv, WorkerConfig } from './env.ts'
import type { RenderConfig } from './render/render-config.ts'

type Loaded = { ok: true; config: WorkerConfig } | { ok: false }

/**
 * Per env object. Vars, secrets and bindings do not change within an isolate
 * (a new value makes a new Worker version), so parsing and the key import run
 * once however many requests share the env.
 */
const loaded = new WeakMap<AppEnv['Bindings'], Promise<Loaded>>()

function load(env: AppEnv['Bindings']): Promise<Loaded> {
  let result = loaded.get(env)
  if (!result) {
    result = configure(env)
    loaded.set(env, result)
  }
  return result
}

async function configure(env: AppEnv['Bindings']): Promise<Loaded> {
  try {
    const site = parseConfig(env)
    const imageKey = await importImageKey(site.imageProxy.secret)
    return { ok: true, config: { ...site, imageKey, codeVersion: codeVersion(env.CF_VERSION_METADATA) } }
  } catch (error) {
    // Logged here, once per env: the requests that meet it only answer 500.
    console.error(error instanceof ConfigError ? error.message : error)
    return { ok: false }
  }
}

/**
 * Middleware: `c.var.config` for everything after it. When the configuration
 * is broken, `misconfigured` answers instead (a clean 500; the reason is in
 * the log, never in the response).
 */
export function configuration(
  misconfigured: (c: Context<AppEnv>) => Response | Promise<Response>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const result = await load(c.env)
    if (!result.ok) return misconfigured(c)
    c.set('config', result.config)
    await next()
  }
}

/**
 * The site's public origin: SITE_URL's when set, else the request's. Pages
 * embed it (canonical, og:url, feeds, sitemap), and Workers Cache keys by
 * path, so a site served on several hostnames should set it.
 */
export function siteOrigin(c: Context<AppEnv>): string {
  return c.var.config.siteOrigin ?? new URL(c.req.url).origin
}

/** What the renderer needs of this request's configuration. */
export function renderConfig(c: Context<AppEnv>): RenderConfig {
  return { siteName: c.var.config.siteName, origin: siteOrigin(c), imageKey: c.var.config.imageKey }
}
