import type { Bindings } from '../env.ts'

/**
 * The version of everything besides KV that shapes a response: the worker's
 * code and configuration. Every `wrangler deploy`, `wrangler secret put` and
 * vars change makes a new Worker version with a new id (the version metadata
 * binding; Miniflare gives each start a new one), so a changed template,
 * renderer, site name or image key can never hide behind an old ETag.
 */
export function codeVersion(env: Bindings): string {
  return env.CF_VERSION_METADATA?.id ?? 'unversioned'
}
