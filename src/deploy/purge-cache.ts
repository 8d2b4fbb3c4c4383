import { DeployError } from './store.ts'

/**
 * The edge-cache step of a deploy, run once every changed key is live. Both
 * halves can be swapped: the tag names belong to the caching layer (its
 * `cacheTagsFor` in src/shared/cache-tags.ts: a response is tagged with the
 * KV keys it was built from), and the transport to wherever purging can happen.
 */

/** Maps changed KV keys to the Cache-Tag names of the responses built from them. */
export type CacheTagsFor = (changedKeys: readonly string[]) => string[]

/** Makes cached responses carrying any of `tags` stale. */
export type PurgeCache = (tags: string[]) => Promise<void>

/** Past this many tags one purge-everything is cheaper than the requests. */
export const PURGE_EVERYTHING_OVER = 500
const TAGS_PER_REQUEST = 100

/**
 * Workers Cache can only be purged from inside its own worker
 * (`ctx.cache.purge` / `ctx.cache.invalidate`; zone purges do not reach it),
 * so deploy POSTs the options to the deployed worker's
 * `/_cache/purge` (src/worker/cache/purge.ts): `{ "tags": [...] }` or
 * `{ "purgeEverything": true }`, with `Authorization: Bearer <CACHE_PURGE_TOKEN>`.
 * Purge rather than invalidate: an invalidated entry may still be served once
 * more under stale-while-revalidate, and a listing served stale could link a
 * post the deploy is about to delete.
 */
export function purgeThroughWorker(siteUrl: string, token: string): PurgeCache {
  const url = new URL('/_cache/purge', siteUrl).href
  return async (tags) => {
    const bodies =
      tags.length > PURGE_EVERYTHING_OVER
        ? [{ purgeEverything: true }]
        : Array.from({ length: Math.ceil(tags.length / TAGS_PER_REQUEST) }, (_, i) => ({
            tags: tags.slice(i * TAGS_PER_REQUEST, (i + 1) * TAGS_PER_REQUEST),
          }))
    for (const body of bodies) await postPurge(url, token, body)
  }
}

async function postPurge(url: string, token: string, body: object): Promise<void> {
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  } catch (err) {
    throw new DeployError(`cache purge at ${url}: ${(err as Error).message}`, true)
  }
  await response.body?.cancel()
  if (response.ok) return
  const retryAfter = Number(response.headers.get('retry-after'))
  throw new DeployError(
    `cache purge at ${url} answered ${response.status}`,
    response.status === 429 || response.status >= 500,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  )
}
