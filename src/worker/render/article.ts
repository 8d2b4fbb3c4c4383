import { parseHTML } from 'linkedom'
import { imageUrlsOf } from '../../shared/page-images.ts'
import type { RenderConfig } from './render-config.ts'
import { type DomNode, ELEMENT_NODE, serialise } from './serialise.ts'
import { imageLoading } from './steps/image-loading.ts'
import { linkRel } from './steps/link-rel.ts'
import { proxyImages, signImages } from './steps/proxy-images.ts'
import { sandboxEmbeds } from './steps/sandbox-embeds.ts'
import type { ElementRewrite } from './steps/types.ts'

/** The per-request rewrites, in order (the build did everything else; see src/builder/normalise). */
export const REWRITES: readonly ElementRewrite[] = [proxyImages, imageLoading, linkRel, sandboxEmbeds]

/**
 * Stored (build-normalised) body → the served article body: parsed with
 * linkedom, image URLs signed for the proxy, then serialised through the
 * allowlist with the per-request rewrites. Never throws on malformed input.
 */
export async function renderArticle(html: string, config: RenderConfig): Promise<string> {
  const root = parseBody(html)
  const proxied = await signImages(imageUrls(root), config.imageKey)
  return serialise(root, { config, proxied, images: 0 }, REWRITES)
}

function parseBody(html: string): DomNode {
  const { document } = parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`) as unknown as {
    document: { body: DomNode }
  }
  return document.body
}

/** Every image URL under `root` (iteratively: no nesting depth exhausts the stack). */
function imageUrls(root: DomNode): string[] {
  const urls: string[] = []
  const pending: DomNode[] = [root]
  while (pending.length > 0) {
    // linkedom builds childNodes afresh on every access: read it once per node.
    const children = pending.pop()!.childNodes
    for (let i = 0; i < children.length; i++) {
      const child = children[i]
      if (child.nodeType !== ELEMENT_NODE) continue
      const name = (child.localName ?? '').toLowerCase()
      if (name === 'img' || name === 'source' || name === 'video') {
        urls.push(...imageUrlsOf(name, (attribute) => child.getAttribute?.(attribute) ?? null))
      }
      pending.push(child)
    }
  }
  return urls
}
