/**
 * Build-time normalisation of a post body: everything about the rendered
 * article that does not depend on the request is decided here, once, in Node,
 * on a spec-compliant parse. The worker then only signs image URLs, sets
 * per-request link and loading attributes and re-checks the allowlist
 * (src/worker/render). See docs/rendering.md for the list of steps.
 */

import { safeUrl } from '../../shared/html-policy.ts'
import { imageUrlsOf } from '../../shared/page-images.ts'
import type { StoredPost } from '../../shared/schema.ts'
import { textLength } from './removals.ts'
import type { NormaliseContext, Step } from './step.ts'
import { absoluteUrls, linkKey } from './steps/absolute-urls.ts'
import { collapseWhitespace } from './steps/collapse-whitespace.ts'
import { describeImages } from './steps/describe-images.ts'
import { dropClutter } from './steps/drop-clutter.ts'
import { dropComments } from './steps/drop-comments.ts'
import { dropEmpty } from './steps/drop-empty.ts'
import { dropUnusedIds } from './steps/drop-unused-ids.ts'
import { embeds } from './steps/embeds.ts'
import { limitDepth } from './steps/limit-depth.ts'
import { nameImageLinks } from './steps/name-image-links.ts'
import { readerComments } from './steps/reader-comments.ts'
import { realImages } from './steps/real-images.ts'
import { resolveNoscript } from './steps/resolve-noscript.ts'
import { sanitise } from './steps/sanitise.ts'
import { shiftHeadings } from './steps/shift-headings.ts'
import { tableRegions } from './steps/table-regions.ts'
import { titleEmbeds } from './steps/title-embeds.ts'
import { titleOnce } from './steps/title-once.ts'
import { trimSrcset } from './steps/trim-srcset.ts'
import { unwrapWrappers } from './steps/unwrap-wrappers.ts'
import { countText, detectLang, excerpt, readingMinutes } from './text.ts'
import { elements, isTag, type ParentNode, parseBody, serialiseChildren, textOf } from './tree.ts'

export { linkKey }

/** The steps, in order. Each is a small module under ./steps. */
export const STEPS: readonly Step[] = [
  limitDepth,
  dropComments,
  readerComments,
  dropClutter,
  titleOnce,
  resolveNoscript,
  realImages,
  embeds,
  absoluteUrls,
  sanitise,
  trimSrcset,
  dropUnusedIds,
  dropEmpty,
  unwrapWrappers,
  describeImages,
  nameImageLinks,
  titleEmbeds,
  tableRegions,
  shiftHeadings,
  collapseWhitespace,
]

export interface ArticleInput {
  html: string
  /** The post's title, which the body need not repeat (titleOnce). */
  title?: string
  /** URL of the source article. */
  from?: string
  /** Front matter description and image, which win over what the body suggests. */
  description?: string
  image?: string
}

/** What the build stores for the renderer (see StoredPost). */
export type NormalisedArticle = Pick<StoredPost, 'html' | 'excerpt' | 'lang' | 'readingMinutes' | 'leadImage'>

export function normaliseArticle(
  input: ArticleInput,
  localLinks: ReadonlyMap<string, string> = new Map(),
): NormalisedArticle {
  return normaliseTracked(input, localLinks).article
}

/** What the rules removed from a post: its text before them and the characters each rule took (removals.ts). */
export interface Removals {
  characters: number
  byRule: Record<string, number>
}

/**
 * The article, the `linkKey` of each of its links (so a cached result knows
 * which local links it depends on), what the rules removed, and the image URLs
 * the page shows (for the archive to capture).
 */
export function normaliseTracked(
  input: ArticleInput,
  localLinks: ReadonlyMap<string, string>,
): { article: NormalisedArticle; linkTargets: string[]; removals: Removals; images: string[] } {
  const context: NormaliseContext = {
    source: input.from ? new URL(input.from) : undefined,
    localLinks,
    linkTargets: new Set(),
    removed: new Map(),
    title: input.title,
  }
  const root = parseBody(input.html)
  const characters = textLength(root)
  const article = normalise(root, input, context)
  return {
    article,
    linkTargets: [...context.linkTargets],
    removals: { characters, byRule: Object.fromEntries(context.removed) },
    images: pageImages(root, article),
  }
}

/** Every image URL the served page shows, once each: the body's (as the renderer signs them) and the lead image. */
function pageImages(root: ParentNode, article: NormalisedArticle): string[] {
  const urls = elements(root).flatMap((element) => imageUrlsOf(element.name, (name) => element.attribs[name] ?? null))
  if (article.leadImage) urls.push(article.leadImage)
  return [...new Set(urls)]
}

function normalise(root: ParentNode, input: ArticleInput, context: NormaliseContext): NormalisedArticle {
  for (const step of STEPS) step(root, context)
  const text = textOf(root)
  const counts = countText(text)
  return {
    html: serialiseChildren(root),
    excerpt: input.description ?? excerpt(leadText(root) || text),
    lang: detectLang(counts),
    readingMinutes: readingMinutes(counts),
    leadImage: (input.image && safeUrl(input.image, 'media', input.from)) || firstImage(root),
  }
}

/** The text of the paragraphs, where a description is best taken from (not headings or captions). */
function leadText(root: ParentNode): string {
  let text = ''
  for (const element of elements(root)) {
    if (element.name !== 'p' || (element.parent && isTag(element.parent) && element.parent.name === 'figcaption'))
      continue
    text += ` ${textOf(element)}`
    if (text.length > 1000) break
  }
  return text.trim()
}

function firstImage(root: ParentNode): string | undefined {
  for (const element of elements(root)) {
    const src = element.name === 'img' ? element.attribs.src : undefined
    if (src && /^https?:/.test(src)) return src
  }
  return undefined
}

/**
 * Source URL → path on this site, for every post that mirrors one, so links
 * between mirrored articles stay on this site. Keys that two posts share are
 * left out (ambiguous).
 */
export function localLinkMap(posts: { from?: string; url: string }[]): Map<string, string> {
  const map = new Map<string, string>()
  const ambiguous = new Set<string>()
  for (const { from, url } of posts) {
    if (!from) continue
    const key = linkKey(from)
    if (map.has(key) && map.get(key) !== url) ambiguous.add(key)
    map.set(key, url)
  }
  for (const key of ambiguous) map.delete(key)
  return map
}
