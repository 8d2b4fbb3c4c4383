import type { StoredPost } from '../../shared/schema.ts'
import { PostPage } from '../views/PostPage.tsx'

export interface RenderConfig {
  siteName: string
  /** Origin of this site, e.g. `https://news.example.org`, for canonical and og: URLs. */
  origin: string
  /** HMAC key for image-proxy URLs (see shared/image-url.ts). */
  imageKey: CryptoKey
}

/**
 * The article body, rewritten for this site: safe to emit as HTML.
 * Used by the article page and by feeds.
 */
export async function renderArticleBody(post: StoredPost, _config: RenderConfig): Promise<string> {
  return post.html
}

/**
 * Stored post + config → the full HTML page. Pure: no bindings, no I/O, so it
 * runs the same in workerd and in Node (tests, bench).
 */
export async function renderPostPage(post: StoredPost, config: RenderConfig): Promise<string> {
  const bodyHtml = await renderArticleBody(post, config)
  const page = <PostPage siteName={config.siteName} post={post} bodyHtml={bodyHtml} />
  return `<!doctype html>${page.toString()}`
}
