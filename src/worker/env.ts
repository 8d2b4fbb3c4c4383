/** Bindings and variables the worker is configured with (wrangler.toml, secrets, .dev.vars). */
export interface Bindings {
  POSTS: KVNamespace
  /** Shown in the header and page titles. */
  SITE_NAME?: string
  /** Public URL of the site (e.g. https://news.example.org); pages use its origin. Default: the request's. */
  SITE_URL?: string
  /** Secret for signing image-proxy URLs (wrangler secret; .dev.vars locally). */
  IMAGE_PROXY_KEY: string
  /** Comma-separated `host[:port]` the image proxy may fetch although local/private (tests, demos). */
  IMAGE_PROXY_ALLOW_HOSTS?: string
  /** Comma-separated `host=none|origin|<url>` Referer policies over the built-in table; `*` sets the default. */
  IMAGE_PROXY_REFERERS?: string
  /** Largest image the proxy passes, in bytes (default 10 MiB). */
  IMAGE_PROXY_MAX_BYTES?: string
  /** Upstream time limit until the first bytes, in milliseconds (default 10000). */
  IMAGE_PROXY_TIMEOUT_MS?: string
  /** Bearer token of POST /_cache/purge|invalidate (wrangler secret); without it the endpoint does not exist. */
  CACHE_PURGE_TOKEN?: string
  /** "off": the worker keeps no render cache of its own (route tests, debugging); validators and policies stay. */
  RENDER_CACHE?: string
  /** This Worker version's id (wrangler.toml [version_metadata]): part of every ETag and render-cache key. */
  CF_VERSION_METADATA?: WorkerVersionMetadata
}

export type AppEnv = { Bindings: Bindings }
