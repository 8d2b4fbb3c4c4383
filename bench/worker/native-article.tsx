import type { Context } from 'hono'
import { ALLOWED_ELEMENTS, attributeAllowed, cleanAttribute, DROPPED_ELEMENTS } from '../../src/shared/html-policy.ts'
import { imageUrlsOf } from '../../src/shared/page-images.ts'
import { isStoredPost, keys, slugFromPath } from '../../src/shared/schema.ts'
import { renderConfig } from '../../src/worker/configuration.ts'
import type { AppEnv } from '../../src/worker/env.ts'
import { readJson } from '../../src/worker/kv.ts'
import { REWRITES } from '../../src/worker/render/article.ts'
import { escapeAttribute } from '../../src/worker/render/html.ts'
import { pageMeta } from '../../src/worker/render/meta.ts'
import { type ImageSigner, imageSigner, signImages } from '../../src/worker/render/steps/proxy-images.ts'
import type { RewriteState } from '../../src/worker/render/steps/types.ts'
import { PostPage } from '../../src/worker/views/post-page.tsx'

/**
 * The native anchor of issue 8 (3d): the article page of the post route, with
 * its body rewritten by Workers' own streaming HTMLRewriter (lol-html) instead
 * of the product's linkedom parse + serialiser. The same policy and the same
 * per-element steps run (allowlist, URL cleaning, image proxying with signed
 * URLs, lazy images, link rel, sandboxed embeds), so the two differ only in
 * the engine. Bench-only: never part of the shipped worker.
 */
export async function nativeArticle(c: Context<AppEnv>): Promise<Response> {
  const { year, month, day, title } = c.req.param() as Record<string, string>
  const read = await readJson(c.var.kv, keys.post(slugFromPath(year, month, day, title)), isStoredPost)
  if (!read.ok) return c.text(read.missing ? 'no such post' : read.reason, read.missing ? 404 : 500)
  const post = read.value
  const config = renderConfig(c)
  // One signer for head and body, as renderPostPage has.
  const sign = imageSigner(config.imageKey)
  const meta = await pageMeta(post, config, sign)
  // The stored body goes in as it is; the rewriter below does what renderArticle does.
  const page = c.html(
    `<!doctype html>${(<PostPage siteName={config.siteName} post={post} bodyHtml={post.html} meta={meta} />).toString()}`,
  )
  const state: RewriteState = { config, proxied: new Map(), images: 0 }
  return new HTMLRewriter()
    .on('div.body *', { element: (element) => rewriteElement(element, state, sign) })
    .on('div.body', { comments: (comment) => void comment.remove() })
    .transform(page)
}

/**
 * One element of the body, as the product's serialiser treats it. Only an
 * element with image URLs waits (to sign them), so the stream stalls for
 * nothing else.
 */
function rewriteElement(element: Element, state: RewriteState, sign: ImageSigner): void | Promise<void> {
  const name = element.tagName
  if (DROPPED_ELEMENTS.has(name)) return void element.remove()
  if (!(name in ALLOWED_ELEMENTS)) return void element.removeAndKeepContent()
  const attributes = allowedAttributes(element, name)
  const urls = imageUrlsOf(name, (attribute) => attributes.get(attribute) ?? null)
  if (urls.length === 0) return applyRewrites(element, name, attributes, state)
  return signImages(urls, sign).then((signed) => {
    for (const [url, path] of signed) (state.proxied as Map<string, string>).set(url, path)
    applyRewrites(element, name, attributes, state)
  })
}

function applyRewrites(element: Element, name: string, attributes: Map<string, string>, state: RewriteState): void {
  if (!REWRITES.every((rewrite) => rewrite(name, attributes, state))) return void element.remove()
  for (const [attribute, value] of attributes) element.setAttribute(attribute, escapeAttribute(value))
  // An iframe's content is never shown (a browser reads it as text): none is written.
  if (name === 'iframe') element.setInnerContent('')
}

/** The element's allowed attributes with clean values; every original is removed (the kept ones are set again). */
function allowedAttributes(element: Element, name: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const [raw, value] of [...element.attributes]) {
    element.removeAttribute(raw)
    const attribute = raw.toLowerCase()
    if (attributes.has(attribute) || !attributeAllowed(name, attribute)) continue
    const clean = cleanAttribute(name, attribute, decodeAttribute(value))
    if (clean !== null) attributes.set(attribute, clean)
  }
  return attributes
}

/** lol-html gives attribute values as written; the build's serialiser (parse5) writes only these three references. */
function decodeAttribute(value: string): string {
  return value.includes('&')
    ? value.replace(/&(amp|quot|nbsp);/g, (_, name: string) => ATTRIBUTE_REFERENCES[name])
    : value
}

const ATTRIBUTE_REFERENCES: Record<string, string> = { amp: '&', quot: '"', nbsp: '\u00a0' }
