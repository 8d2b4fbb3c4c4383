import { isFileName, labelsFor, labelText } from '../labels.ts'
import type { Step } from '../step.ts'
import { closest, type Element, elements, isTag, isText, textOf } from '../tree.ts'

/** Declared this small, an image is a spacer or a beacon, never content. */
const TRACKING_SIZE = 2
/** Elements an image sits in without changing what it shows. */
const IMAGE_BOXES = new Set(['picture', 'a', 'span'])

/**
 * Every image gets an `alt`. A source's own alt text stays (an empty one is
 * its claim of decoration); a missing one — or a file name — is taken from
 * what the source says about the image: the caption of its figure, its
 * `title`, or a caption right after it in the same box. With nothing said,
 * it is `""` when the image is decoration (tracking-sized, or inside a link
 * whose text already says everything), `""` for now when it is all a link
 * shows (`nameImageLinks` names it for the link), and otherwise a neutral
 * label ("图片"/"Image") that tells a listener an image is there without
 * claiming what it shows (docs/accessibility.md says why not `""`).
 */
export const describeImages: Step = (root) => {
  for (const image of elements(root)) {
    if (image.name !== 'img') continue
    const alt = image.attribs.alt
    if (alt !== undefined && !isFileName(alt)) continue
    image.attribs.alt = described(image) ?? (decorative(image) || linkOnly(image) ? '' : labelsFor(root).image)
  }
}

/** What the source says the image shows, if anything. */
function described(image: Element): string | undefined {
  for (const text of [figureCaption(image), image.attribs.title, captionAfter(image)]) {
    const clean = text?.replace(/\s+/g, ' ').trim()
    if (clean && !isFileName(clean)) return labelText(clean)
  }
  return undefined
}

/** The figcaption of the figure this image is the only image of. */
function figureCaption(image: Element): string | undefined {
  const figure = closest(image, (e) => e.name === 'figure')
  if (!figure || elements(figure).filter((e) => e.name === 'img').length !== 1) return undefined
  const caption = figure.children.find((c) => isTag(c) && c.name === 'figcaption')
  return caption && textOf(caption)
}

/**
 * A caption next to the image: its box (div, p, figure) holds the image and
 * then exactly one paragraph and nothing else — the way National Geographic's
 * and similar CMSs caption a photo without a figure (measured on the corpus:
 * captions longer than a label are cut by `labelText`).
 */
function captionAfter(image: Element): string | undefined {
  let inner: Element = image
  while (inner.parent && isTag(inner.parent) && IMAGE_BOXES.has(inner.parent.name)) inner = inner.parent
  const box = inner.parent
  if (!box || !isTag(box) || !['div', 'p', 'figure'].includes(box.name)) return undefined
  const shown = box.children.filter((c) => !(isText(c) && !/\S/.test(c.data)))
  if (shown.length !== 2 || shown[0] !== inner) return undefined
  const caption = shown[1]
  return isTag(caption) && caption.name === 'p' && elements(caption).every((e) => e.name !== 'img')
    ? textOf(caption)
    : undefined
}

function decorative(image: Element): boolean {
  const tiny = (value: string | undefined) => value !== undefined && Number.parseInt(value, 10) <= TRACKING_SIZE
  if (tiny(image.attribs.width) || tiny(image.attribs.height)) return true
  const link = closest(image, (e) => e.name === 'a')
  return link !== undefined && textOf(link).trim() !== ''
}

function linkOnly(image: Element): boolean {
  return closest(image, (e) => e.name === 'a') !== undefined
}
