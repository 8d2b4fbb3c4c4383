import type { SiteConfig } from '../shared/config.ts'
import type { CacheKind } from './cache/cache-policy.ts'
import type { PreconditionResult } from './cache/preconditions.ts'
import type { RecordingKv } from './cache/recording-kv.ts'

/**
 * The worker's Hono environment. `Env`, the bindings, vars and secrets, is
 * generated from wrangler.toml and .dev.vars.example by `npm run types`
 * (worker-configuration.d.ts). Routes see it without the POSTS binding: they
 * read KV through `c.var.kv`, which records what they read for the validators.
 */
export type AppEnv = { Bindings: Omit<Env, 'POSTS'>; Variables: Variables }

/** Per-request state, set by middleware and by `cacheable` (`c.set`, read as `c.var.*`). */
interface Variables {
  /** The configuration, parsed once per isolate (configuration.ts). */
  config: WorkerConfig
  /** KV through a recorder (cache/record-reads.ts). */
  kv: RecordingKv
  /**
   * Set by the render cache when it will store what the route produces and
   * answer the client itself; `staleEtag` is the ETag of the stale copy it
   * holds, which a route whose content has not changed need not render again.
   */
  renderCache: { staleEtag: string | null }
  /** Set by `cacheable`: the response follows this kind's policy (and may be stored). */
  cacheKind: CacheKind
  /** Set by `cacheable`: the verdict on the client's preconditions, evaluated once per request. */
  preconditions: PreconditionResult
}

/** What a request runs with: the parsed variables, the imported image key, the code version. */
export interface WorkerConfig extends SiteConfig {
  /** The image proxy's HMAC key, imported from `imageProxy.secret`. */
  imageKey: CryptoKey
  /** RENDER_VERSION and this Worker version's id: part of every ETag and render-cache key. */
  codeVersion: string
}
