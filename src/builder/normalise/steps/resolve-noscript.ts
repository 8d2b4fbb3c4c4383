import { parseSrcset } from '../../../shared/html-policy.ts'
import type { Step } from '../step.ts'
import { type ChildNode, type Element, elements, isTag, isText, remove, unwrap } from '../tree.ts'

/**
 * `<noscript>` wrappers go, and no picture appears twice. A noscript right
 * after an image of the same picture is that image's no-JS fallback — the
 * site's plain version of it (lazy loaders often leave the scripted copy's
 * URL mangled) — so it replaces the scripted copy when it has a source, and
 * goes otherwise. Any other noscript's content becomes ordinary content (the
 * build parses it as markup, scripting off).
 */
export const resolveNoscript: Step = (root) => {
  for (const noscript of elements(root).filter((e) => e.name === 'noscript')) {
    const scripted = precedingImage(noscript)
    const fallback = elements(noscript).find((e) => e.name === 'img')
    if (!scripted || !fallback || !samePicture(scripted, fallback)) unwrap(noscript)
    else if (fallback.attribs.src || fallback.attribs.srcset) {
      remove(scripted)
      unwrap(noscript)
    } else remove(noscript)
  }
}

/** The image element just before the noscript (white space between), if any. */
function precedingImage(noscript: Element): Element | null {
  let prev: ChildNode | null = noscript.prev
  while (prev && isText(prev) && !/\S/.test(prev.data)) prev = prev.prev
  return prev && isTag(prev) && prev.name === 'img' ? prev : null
}

/** Do two images name a file in common (query and fragment aside) in any of their attributes? */
function samePicture(a: Element, b: Element): boolean {
  const files = new Set(imageFiles(a))
  return imageFiles(b).some((file) => files.has(file))
}

function imageFiles(image: Element): string[] {
  return Object.values(image.attribs).flatMap((value) => parseSrcset(value).map((c) => c.url.replace(/[?#].*$/, '')))
}
