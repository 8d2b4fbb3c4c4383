import { isFileName, labelsFor, labelText } from '../labels.ts'
import type { Step } from '../step.ts'
import { type Element, elements, textOf } from '../tree.ts'

/** Where a link without a host (a mirrored post's path here) is read from. */
const THIS_SITE = 'https://this-site.invalid'
const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|heic)$/i

/**
 * A link whose only content is images with empty alt text has no name: a
 * screen reader reads out its URL, or nothing. Its first image's alt becomes
 * the link's name (WCAG technique H30: the alt of a linked image says where
 * the link goes) — the link's `title` if the source gave one, "查看原图"/
 * "Full-size image" for a link to an image file (WordPress's "link to media
 * file"), else the link's host and path made readable.
 */
export const nameImageLinks: Step = (root) => {
  for (const link of elements(root)) {
    if (link.name !== 'a' || !link.attribs.href || textOf(link).trim() !== '') continue
    const images = elements(link).filter((e) => e.name === 'img')
    if (images.length === 0 || images.some((image) => image.attribs.alt?.trim())) continue
    images[0].attribs.alt = linkName(link, root)
  }
}

function linkName(link: Element, root: Parameters<Step>[0]): string {
  const title = link.attribs.title?.replace(/\s+/g, ' ').trim()
  if (title && !isFileName(title)) return labelText(title)
  let url: URL
  try {
    url = new URL(link.attribs.href, THIS_SITE)
  } catch {
    return link.attribs.href
  }
  if (IMAGE_FILE.test(url.pathname)) return labelsFor(root).fullImage
  return readableUrl(url)
}

/**
 * `https://www.example.com/news/2020-01-02-some-story.html` → `example.com › news › 2020 01 02 some story`:
 * the words of the URL, without scheme, `www.`, query, extensions or separators.
 */
function readableUrl(url: URL): string {
  if (url.protocol === 'mailto:') return safeDecode(url.pathname)
  const words = url.pathname
    .split('/')
    .filter(Boolean)
    .map((segment) =>
      safeDecode(segment)
        .replace(/\.[a-z0-9]{2,5}$/i, '')
        .replace(/[-_+.]+/g, ' ')
        .trim(),
    )
    .filter(Boolean)
  const host = url.origin === THIS_SITE ? [] : [url.hostname.replace(/^www\./, '')]
  return labelText([...host, ...words].join(' › ')) || url.pathname
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
