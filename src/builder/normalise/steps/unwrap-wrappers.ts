import { BLOCK_ELEMENTS } from '../blocks.ts'
import type { Step } from '../step.ts'
import { type ChildNode, type Element, isTag, isText, type ParentNode, unwrap } from '../tree.ts'

/** Containers that mean nothing once the source's classes and ids are gone. */
const WRAPPERS = new Set(['div', 'section', 'article', 'header', 'footer'])

/**
 * CMS wrapper chains (`div > div > div > p`) collapse: a bare `span` is
 * replaced by its content, and a bare block wrapper whose children are all
 * blocks is too — the layout is the same, the markup much smaller.
 */
export const unwrapWrappers: Step = (root) => {
  const visit = (node: ParentNode) => {
    for (const child of [...node.children]) {
      if (!isTag(child)) continue
      visit(child)
      if (Object.keys(child.attribs).length > 0) continue
      if (child.name === 'span' || (WRAPPERS.has(child.name) && child.children.every(isBlockOrSpace))) unwrap(child)
    }
  }
  visit(root)
}

function isBlockOrSpace(node: ChildNode): boolean {
  if (isText(node)) return !/\S/.test(node.data)
  return !isTag(node) || BLOCK_ELEMENTS.has((node as Element).name)
}
