import { exports } from 'cloudflare:workers'
import { inject } from 'vitest'
import type { StoredPost } from '../../src/shared/schema.ts'

/** Helpers the navigation tests (listings, feeds, sitemap, redirects) share. */

export const ORIGIN = 'http://example.com'

/** A request through the worker; redirects are returned, not followed. */
export function get(path: string): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual' }))
}

/** The stored posts of the test site (content/ + corpus), as the build wrote them. */
export function storedPosts(): StoredPost[] {
  return inject('siteEntries')
    .filter((e) => e.key.startsWith('post:'))
    .map((e) => JSON.parse(e.value) as StoredPost)
}

/** Listing order, stated independently of the code under test: newest date first, then the greater slug (code units). */
export function newestFirst(a: StoredPost, b: StoredPost): number {
  return a.date !== b.date ? (a.date > b.date ? -1 : 1) : a.slug > b.slug ? -1 : a.slug < b.slug ? 1 : 0
}
