import type { StoredPost } from '../../shared/schema.ts'
import { PostPage } from '../views/PostPage.tsx'

export interface RenderConfig {
  siteName: string
}

/**
 * Stored post + config → the full HTML page. Pure and synchronous: no
 * bindings, no I/O, so it runs the same in workerd and in Node (tests, bench).
 */
export function renderPostPage(post: StoredPost, config: RenderConfig): string {
  const page = <PostPage siteName={config.siteName} post={post} bodyHtml={post.html} />
  return `<!doctype html>${page.toString()}`
}
