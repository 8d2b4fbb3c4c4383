import { selectAll } from 'css-select'
import type { Step } from '../step.ts'
import { type Element, isTag, isText, type ParentNode, remove, textOf } from '../tree.ts'
import { linkKey } from './absolute-urls.ts'

/** Elements a leading heading may sit in. */
const WRAPPERS = new Set(['div', 'section', 'article', 'header', 'main'])

/**
 * The title once: a heading that opens the body with the title's text (the
 * mirror's `[Title](from)` setext heading) goes, since the page shows the
 * title as its heading and links `from` in the byline. Kept when it links
 * anywhere else, so no link is lost with it. Corpus: 60 of 272 posts. Not
 * counted as removed text: the page still shows it, as its title.
 */
export const titleOnce: Step = (root, context) => {
  const heading = leadingHeading(root)
  if (!heading || !context.title || comparable(textOf(heading)) !== comparable(context.title)) return
  const source = context.source && linkKey(context.source.href)
  const links = selectAll('a[href]', heading)
  if (links.some((a) => !source || linkKey(resolve(a.attribs.href, context.source)) !== source)) return
  remove(heading)
}

/** The first thing in the body with content, looking into wrappers, when it is a heading. */
function leadingHeading(root: ParentNode): Element | undefined {
  for (const child of root.children) {
    if (isText(child) && !/^\s*$/.test(child.data)) return undefined
    if (!isTag(child)) continue
    if (/^h[1-6]$/.test(child.name)) return child
    return WRAPPERS.has(child.name) ? leadingHeading(child) : undefined
  }
  return undefined
}

/** Text compared case-, width-, white space- and punctuation-insensitively. */
function comparable(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '')
}

function resolve(href: string, base: URL | undefined): string {
  try {
    return new URL(href, base).href
  } catch {
    return href
  }
}
