import { env } from 'cloudflare:workers'
import { inject } from 'vitest'
import type { StoredPost } from '../../src/shared/schema.ts'
import { assignIds, type SearchDoc, writeStatements } from '../../src/shared/search-index.ts'

/** Puts the test site (content/ + test/fixtures, built by global-setup) into the POSTS namespace. */
export async function loadSite(): Promise<void> {
  await put(inject('siteEntries'))
}

export const manifest = () => inject('siteManifest')

/** The stored posts of the test site, as the build wrote them. */
export function storedPosts(): StoredPost[] {
  return inject('siteEntries')
    .filter((e) => e.key.startsWith('post:'))
    .map((e) => JSON.parse(e.value) as StoredPost)
}

/** Puts content/ plus the whole shared corpus into the POSTS namespace (only where global-setup built it). */
export async function loadCorpus(): Promise<void> {
  await put(inject('corpusEntries') ?? [])
}

/**
 * Writes search rows into the SEARCH database with the statements deploy uses
 * (src/shared/search-index.ts), replacing what their slugs had.
 */
export async function loadSearch(docs: readonly SearchDoc[]): Promise<void> {
  const indexed = await env.SEARCH.prepare('SELECT slug, id FROM search_posts').all<{ slug: string; id: number }>()
  const ids = assignIds(docs, new Map(indexed.results.map((row) => [row.slug, row.id])))
  const statements = docs.flatMap((doc) => writeStatements(doc, ids.get(doc.slug)!))
  for (let i = 0; i < statements.length; i += 100)
    await env.SEARCH.batch(
      statements.slice(i, i + 100).map(({ sql, params }) => env.SEARCH.prepare(sql).bind(...params)),
    )
}

async function put(entries: { key: string; value: string }[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 50) {
    await Promise.all(entries.slice(i, i + 50).map(({ key, value }) => env.POSTS.put(key, value)))
  }
}
