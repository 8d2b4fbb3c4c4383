import type { RenderedBody } from './build-cache.ts'
import { renderMarkdown } from './markdown.ts'
import { normaliseTracked } from './normalise/index.ts'
import type { PostSource } from './parse-post.ts'

/** What rendering a post's body needs: the costly per-file work, done inline or in a worker thread (pool.ts). */
export type BodyInput = Pick<PostSource, 'markdown' | 'title' | 'from' | 'description' | 'image'>

export function renderBody(
  { markdown, title, from, description, image }: BodyInput,
  localLinks: ReadonlyMap<string, string>,
): RenderedBody {
  const { article, linkTargets, removals, images } = normaliseTracked(
    { html: renderMarkdown(markdown), title, from, description, image },
    localLinks,
  )
  return { article, linkTargets, localLinks: applicable(linkTargets, localLinks), removals, images }
}

/** Would the body's links map to the same local posts now as when it was rendered? */
export function sameLocalLinks(body: RenderedBody, localLinks: ReadonlyMap<string, string>): boolean {
  return JSON.stringify(applicable(body.linkTargets, localLinks)) === JSON.stringify(body.localLinks)
}

function applicable(linkTargets: string[], localLinks: ReadonlyMap<string, string>): [string, string][] {
  return linkTargets.flatMap((target) => {
    const url = localLinks.get(target)
    return url ? [[target, url] as [string, string]] : []
  })
}
