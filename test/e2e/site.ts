import { inject } from 'vitest'
import type { E2ePost } from './harness/content.ts'
import { type OriginStats, STATS_PATH } from './harness/image-origin.ts'

/** What global-setup serves, as the test files see it. */
export interface E2eSite {
  /** The worker under wrangler dev, e.g. http://127.0.0.1:8805 */
  url: string
  /** The local image origin. */
  originUrl: string
  posts: (E2ePost & { url: string; title: string; slug: string; tags: string[]; categories: string[] })[]
  tags: string[]
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eSite: E2eSite
  }
}

export const site = (): E2eSite => inject('e2eSite')

/** The article pages every browser test opens: content/posts and the corpus sample. */
export const articles = () => site().posts.filter((post) => post.sample)
/** Every post that is not an XSS payload: content/posts and the whole corpus. */
export const allArticles = () => site().posts.filter((post) => post.kind !== 'xss')
export const xssPosts = () => site().posts.filter((post) => post.kind === 'xss')
export const seedPost = () => {
  const seed = site().posts.find((post) => post.seed)
  if (!seed) throw new Error('the seed post (shared/seed) is not in content/posts')
  return seed
}

export async function originStats(): Promise<OriginStats> {
  return (await fetch(`${site().originUrl}${STATS_PATH}`)).json() as Promise<OriginStats>
}

/** A route exists once it answers something other than 404. */
export async function routeExists(path: string): Promise<boolean> {
  const response = await fetch(`${site().url}${path}`, { redirect: 'manual' })
  await response.arrayBuffer()
  return response.status !== 404
}
