import { RENDER_VERSION } from '../render/index.tsx'

/**
 * The version of everything besides KV that shapes a response: the worker's
 * code and configuration. The renderer names its own output version; beyond
 * that, every `wrangler deploy`, `wrangler secret put` and vars change makes a
 * new Worker version with a new id (the version metadata binding; Miniflare
 * gives each start a new one), so a changed template, site name or image key
 * can never hide behind an old ETag or render-cache entry either.
 */
export function codeVersion(version: WorkerVersionMetadata | undefined): string {
  return `${RENDER_VERSION}/${version?.id ?? 'unversioned'}`
}
