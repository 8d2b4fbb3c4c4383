/** Bindings and variables the worker is configured with (wrangler.toml, secrets, .dev.vars). */
export interface Bindings {
  POSTS: KVNamespace
  /** Shown in the header and page titles. */
  SITE_NAME?: string
  /** Secret for signing image-proxy URLs (wrangler secret; .dev.vars locally). */
  IMAGE_PROXY_KEY: string
}

export type AppEnv = { Bindings: Bindings }
