import { phaseOf } from './plan.ts'
import { DeployError } from './store.ts'

/**
 * The edge-cache step of a deploy, run once every changed key is live. Both
 * halves are meant to be swapped: the tag names belong to the caching layer
 * (issue 5), and the transport to wherever purging can happen.
 */

/** Maps changed KV keys to the Cache-Tag names of the responses built from them. */
export type CacheTagsFor = (changedKeys: readonly string[]) => string[]

/** Makes cached responses carrying any of `tags` stale. */
export type PurgeCache = (tags: string[]) => Promise<void>

/**
 * Default naming: a post's responses carry its key (`post:<slug>`), and every
 * listing, feed and sitemap carries `list`, so any listing change purges them all.
 */
export const cacheTagsFor: CacheTagsFor = (changedKeys) => {
  const tags = new Set<string>()
  for (const key of changedKeys) tags.add(phaseOf(key) === 'content' ? key : 'list')
  return [...tags].sort()
}

/** Past this many tags one purge-everything is cheaper than the requests. */
export const PURGE_EVERYTHING_OVER = 500
const TAGS_PER_REQUEST = 100

/**
 * Workers Cache can only be purged from inside its own worker
 * (`ctx.cache.purge` / `ctx.cache.invalidate`; zone purges do not reach it),
 * so deploy POSTs the purge options to an endpoint of the deployed worker:
 * `{ "tags": [...] }` or `{ "purgeEverything": true }`, with
 * `Authorization: Bearer <token>`. The worker checks the token and passes the
 * body to `ctx.cache.invalidate` (or `purge`).
 */
export function purgeThroughWorker(url: string, token: string): PurgeCache {
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
