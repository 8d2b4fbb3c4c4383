/**
 * The worker's configuration: its vars (wrangler.toml `[vars]`) and secrets
 * (`wrangler secret put`, `.dev.vars` locally) as plain strings in, a typed
 * and validated SiteConfig out. Every default is written here and nowhere
 * else; every error names the variable it is about. No Workers APIs, so the
 * rules can be tested and reused anywhere.
 */

export const DEFAULT_SITE_NAME = 'News Archive'
const DEFAULT_IMAGE_MAX_BYTES = 10 * 1024 * 1024
const DEFAULT_IMAGE_TIMEOUT_MS = 10_000
/** Images fetched per capture request: 8 × (1 + 4 redirects) stays within the Free plan's 50 subrequests. */
const DEFAULT_ARCHIVE_BATCH = 8
/** Bytes read per capture request before it stops starting new images (hashing is CPU time). */
const DEFAULT_ARCHIVE_BATCH_BYTES = 4 * 1024 * 1024

/** The variables the worker reads; each may be missing or empty. */
export type WorkerVars = Partial<
  Record<
    | 'SITE_NAME'
    | 'SITE_URL'
    | 'IMAGE_PROXY_KEY'
    | 'IMAGE_PROXY_ALLOW_HOSTS'
    | 'IMAGE_PROXY_REFERERS'
    | 'IMAGE_PROXY_MAX_BYTES'
    | 'IMAGE_PROXY_TIMEOUT_MS'
    | 'CACHE_PURGE_TOKEN'
    | 'IMAGE_ARCHIVE_TOKEN'
    | 'IMAGE_ARCHIVE_BATCH'
    | 'IMAGE_ARCHIVE_BATCH_BYTES'
    | 'RENDER_CACHE',
    string
  >
>

export interface SiteConfig {
  /** Shown in the header, page titles and feeds. */
  siteName: string
  /** The public origin from SITE_URL (canonical links, feeds, sitemap); null: each request's own. */
  siteOrigin: string | null
  imageProxy: ImageProxyConfig
  /** Bearer token of POST /_cache/purge|invalidate; null: the endpoint does not exist. */
  purgeToken: string | null
  imageArchive: ImageArchiveConfig
  /** False (RENDER_CACHE=off): no render cache of the worker's own; validators and policies stay. */
  renderCache: boolean
}

export interface ImageProxyConfig {
  /** The HMAC secret that signs image URLs (shared/image-url.ts). */
  secret: string
  /** Hosts fetched although local or private (tests, local demos). */
  allowHosts: AllowedHost[]
  /** Referer policies per host over the proxy's built-in table; `*` sets the default. */
  referers: ReadonlyMap<string, RefererPolicy>
  /** Largest image passed on, in bytes. */
  maxBytes: number
  /** Time limit until the upstream's first bytes, in milliseconds. */
  timeoutMs: number
}

/** The image archive in R2 (the IMAGES bucket): how deploys capture into it. */
export interface ImageArchiveConfig {
  /** Bearer token of POST /_images/capture and the prune endpoints; null: they do not exist. */
  token: string | null
  /** Most images one capture request fetches; the rest of its URLs are answered `deferred`. */
  batch: number
  /** Bytes one capture request reads before it starts no further image. */
  batchBytes: number
}

/** An `IMAGE_PROXY_ALLOW_HOSTS` entry: a host, with or without a port (null: any port). */
export interface AllowedHost {
  hostname: string
  port: string | null
}

/**
 * Which Referer the proxy sends upstream: none, the image's own origin, or a
 * fixed http(s) URL (the article's site, for images on a CDN).
 */
export type RefererPolicy = 'none' | 'origin' | { fixed: string }

/** A deployment error: a missing secret or a malformed variable. Its message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** Parses the worker's variables; throws one ConfigError naming every variable that is wrong. */
export function parseConfig(vars: WorkerVars): SiteConfig {
  const problems: string[] = []
  const attempt = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse()
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      problems.push(error.message)
      return fallback
    }
  }
  const secret = vars.IMAGE_PROXY_KEY ?? ''
  if (!secret) problems.push('IMAGE_PROXY_KEY is not set: `wrangler secret put IMAGE_PROXY_KEY` (or .dev.vars locally)')
  const config: SiteConfig = {
    siteName: vars.SITE_NAME || DEFAULT_SITE_NAME,
    siteOrigin: attempt(() => parseSiteOrigin(vars.SITE_URL), null),
    imageProxy: {
      secret,
      allowHosts: attempt(() => parseAllowList(vars.IMAGE_PROXY_ALLOW_HOSTS), []),
      referers: attempt(() => parseReferers(vars.IMAGE_PROXY_REFERERS), new Map()),
      maxBytes: attempt(
        () => positiveInteger('IMAGE_PROXY_MAX_BYTES', vars.IMAGE_PROXY_MAX_BYTES, DEFAULT_IMAGE_MAX_BYTES),
        0,
      ),
      timeoutMs: attempt(
        () => positiveInteger('IMAGE_PROXY_TIMEOUT_MS', vars.IMAGE_PROXY_TIMEOUT_MS, DEFAULT_IMAGE_TIMEOUT_MS),
        0,
      ),
    },
    purgeToken: vars.CACHE_PURGE_TOKEN || null,
    imageArchive: {
      token: vars.IMAGE_ARCHIVE_TOKEN || null,
      batch: attempt(() => positiveInteger('IMAGE_ARCHIVE_BATCH', vars.IMAGE_ARCHIVE_BATCH, DEFAULT_ARCHIVE_BATCH), 0),
      batchBytes: attempt(
        () => positiveInteger('IMAGE_ARCHIVE_BATCH_BYTES', vars.IMAGE_ARCHIVE_BATCH_BYTES, DEFAULT_ARCHIVE_BATCH_BYTES),
        0,
      ),
    },
    renderCache: attempt(() => onOff('RENDER_CACHE', vars.RENDER_CACHE), true),
  }
  if (problems.length > 0) throw new ConfigError(`configuration: ${problems.join('; ')}`)
  return config
}

function parseSiteOrigin(text: string | undefined): string | null {
  if (!text) return null
  const url = URL.parse(text)
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:')
    throw new ConfigError(`SITE_URL: "${text}" is not an http(s) URL`)
  return url.origin
}

/** `IMAGE_PROXY_ALLOW_HOSTS`: comma-separated `host[:port]`; an entry without a port allows every port. */
export function parseAllowList(text: string | undefined): AllowedHost[] {
  return entries(text).map((entry) => {
    // Parsed as a URL host, so the entry is normalised exactly as source URLs are.
    const url = /^[^/@?#\s]+$/.test(entry) ? URL.parse(`http://${entry}`) : null
    if (!url) throw new ConfigError(`IMAGE_PROXY_ALLOW_HOSTS: "${entry}" is not host[:port]`)
    const port = /:(\d+)$/.exec(entry)?.[1]
    return { hostname: url.hostname, port: port === undefined ? null : String(Number(port)) }
  })
}

/** `IMAGE_PROXY_REFERERS`: comma-separated `host=none|origin|<url>`; host `*` sets the default. */
export function parseReferers(text: string | undefined): Map<string, RefererPolicy> {
  const table = new Map<string, RefererPolicy>()
  for (const entry of entries(text)) {
    const separator = entry.indexOf('=')
    const host = entry.slice(0, separator).trim().toLowerCase()
    if (separator < 1 || !host) throw new ConfigError(`IMAGE_PROXY_REFERERS: "${entry}" is not host=policy`)
    const policy = entry.slice(separator + 1).trim()
    const url = URL.parse(policy)
    if (policy === 'none' || policy === 'origin') table.set(host, policy)
    else if (url?.protocol === 'https:' || url?.protocol === 'http:') table.set(host, { fixed: url.href })
    else
      throw new ConfigError(
        `IMAGE_PROXY_REFERERS: policy for ${host}: "${policy}" is not none, origin or an http(s) URL`,
      )
  }
  return table
}

function entries(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${name}: "${text}" is not a positive integer`)
  return value
}

function onOff(name: string, text: string | undefined): boolean {
  if (text === undefined || text === '' || text === 'on') return true
  if (text === 'off') return false
  throw new ConfigError(`${name}: "${text}" is not on or off`)
}
