import type { RenderConfig } from '../render-config.ts'

/** What the edge rewrites know while serialising one article. */
export interface RewriteState {
  config: RenderConfig
  /** Source image URL → signed proxy path (see proxyImages). */
  proxied: ReadonlyMap<string, string>
  /** Images emitted so far: the first one loads eagerly. */
  images: number
}

/**
 * One per-request rewrite of an allowed element's (already filtered)
 * attributes, in place. Returns false to drop the element.
 */
export type ElementRewrite = (name: string, attributes: Map<string, string>, state: RewriteState) => boolean
