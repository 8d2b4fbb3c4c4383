import { parseHTML } from 'linkedom'
import { imageUrlsOf } from '../../shared/page-images.ts'
import type { RenderConfig } from './render-config.ts'
import { type DomNode, ELEMENT_NODE, serialise } from './serialise.ts'
import { imageLoading } from './steps/image-loading.ts'
import { linkRel } from './steps/link-rel.ts'
import { type ImageSigner, imageSigner, proxyImages, signImages } from './steps/proxy-images.ts'
import { sandboxEmbeds } from './steps/sandbox-embeds.ts'
import type { ElementRewrite } from './steps/types.ts'

/** The per-request rewrites, in order (the build did everything else; see src/builder/normalise). */
export const REWRITES: readonly ElementRewrite[] = [proxyImages, imageLoading, linkRel, sandboxEmbeds]

/**
 * Stored (build-normalised) body → the served article body: parsed with
 * linkedom, image URLs signed for the proxy, then serialised through the
 * allowlist with the per-request rewrites. Never throws on malformed input.
 */
export async function renderArticle(
  html: string,
  config: RenderConfig,
  sign: ImageSigner = imageSigner(config.imageKey),
): Promise<string> {
  const root = parseBody(html)
  const proxied = await signImages(imageUrls(root), sign)
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
  // Each entry: the next node to look at; its siblings follow.
  const pending: (DomNode | null)[] = [root.firstChild]
  while (pending.length > 0) {
    const node = pending.pop()!
    if (node === null) continue
    pending.push(node.nextSibling)
    if (node.nodeType !== ELEMENT_NODE) continue
    const name = (node.localName ?? '').toLowerCase()
    if (name === 'img' || name === 'source' || name === 'video') {
      urls.push(...imageUrlsOf(name, (attribute) => node.getAttribute?.(attribute) ?? null))
    }
    pending.push(node.firstChild)
  }
  return urls
}
