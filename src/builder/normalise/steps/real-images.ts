import type { Step } from '../step.ts'
import { type Element, elements } from '../tree.ts'

/** Lazy-loading attributes, most specific first, holding the real image. */
const LAZY_SRC = [
  'data-lazy-src',
  'data-src',
  'data-original',
  'data-original-src',
  'data-lazy',
  'data-echo',
  'data-actualsrc',
  'data-hi-res-src',
]
const LAZY_SRCSET = ['data-lazy-srcset', 'data-srcset', 'data-original-srcset']
const LAZY_SIZES = ['data-lazy-sizes', 'data-sizes']

/** A `src` that only stands in for the real image: inline data, or a spacer/spinner file. */
const PLACEHOLDER =
  /^data:|\/(?:spacer|blank|pixel|placeholder|lazy|loading|spinner|transparent|grey|gray)[\w-]*\.(?:gif|png|svg)(?:[?#]|$)/i

/**
 * Lazy images become real: the lazy attributes' real source replaces a
 * placeholder `src`/`srcset`, and the lazy attributes go.
 */
export const realImages: Step = (root) => {
  for (const element of elements(root)) {
    if (element.name === 'img' || element.name === 'source') makeReal(element)
  }
}

function makeReal(image: Element): void {
  const attribs = image.attribs
  const src = first(image, LAZY_SRC)
  const srcset = first(image, LAZY_SRCSET)
  const sizes = first(image, LAZY_SIZES)
  if (src) attribs.src = src
  else if (attribs.src && PLACEHOLDER.test(attribs.src) && (srcset || attribs.srcset)) delete attribs.src
  if (srcset) attribs.srcset = srcset
  if (sizes && sizes !== 'auto') attribs.sizes = sizes
  for (const name of [...LAZY_SRC, ...LAZY_SRCSET, ...LAZY_SIZES]) delete attribs[name]
}

/** The first of these attributes with a value that is not itself a placeholder. */
function first(element: Element, names: string[]): string | undefined {
  for (const name of names) {
    const value = element.attribs[name]?.trim()
    if (value && !PLACEHOLDER.test(value)) return value
  }
  return undefined
}
