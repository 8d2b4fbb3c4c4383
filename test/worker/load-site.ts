import { env } from 'cloudflare:workers'
import { inject } from 'vitest'

/** Puts the test site (content/ + corpus, built by global-setup) into the POSTS namespace. */
export async function loadSite(): Promise<void> {
  const entries = inject('siteEntries')
  for (let i = 0; i < entries.length; i += 50) {
    await Promise.all(entries.slice(i, i + 50).map(({ key, value }) => env.POSTS.put(key, value)))
  }
}

export const manifest = () => inject('siteManifest')
