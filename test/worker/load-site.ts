import { env } from 'cloudflare:workers'
import { inject } from 'vitest'
import type { StoredPost } from '../../src/shared/schema.ts'

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

async function put(entries: { key: string; value: string }[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 50) {
    await Promise.all(entries.slice(i, i + 50).map(({ key, value }) => env.POSTS.put(key, value)))
  }
}
