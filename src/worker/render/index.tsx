import type { StoredPost } from '../../shared/schema.ts'
import { PostPage } from '../views/post-page.tsx'
import { renderArticle } from './article.ts'
import { pageMeta } from './meta.ts'
import type { RenderConfig } from './render-config.ts'
import { imageSigner } from './steps/proxy-images.ts'

export type { RenderConfig }

/**
 * Changes whenever rendered output may change for the same stored post (edge
 * rewrites, page template, metadata). Caches and ETags include it; stored
 * bodies carry their own `hash` for what the build changed.
 */
export const RENDER_VERSION = 'render-4'

/**
 * The article body, rewritten for this site: safe to emit as HTML (feeds;
 * the article page renders it beside its head, see renderPostPage).
 */
export async function renderArticleBody(post: StoredPost, config: RenderConfig): Promise<string> {
  return renderArticle(post.html, config)
}

/**
 * Stored post + config → the full HTML page. Pure: no bindings, no I/O, so it
 * runs the same in workerd and in Node (tests, bench).
 */
export async function renderPostPage(post: StoredPost, config: RenderConfig): Promise<string> {
  // One signer for head and body: the lead image is signed once.
  const sign = imageSigner(config.imageKey)
  const [bodyHtml, meta] = await Promise.all([renderArticle(post.html, config, sign), pageMeta(post, config, sign)])
  const page = <PostPage siteName={config.siteName} post={post} bodyHtml={bodyHtml} meta={meta} />
  return `<!doctype html>${page.toString()}`
}
