import type { Step } from '../step.ts'
import { type ChildNode, type Element, isTag, type ParentNode, setChildren } from '../tree.ts'

/** Deeper than this, markup is flattened (browsers cap nesting too; no article needs more). */
export const MAX_DEPTH = 128

/**
 * Pathological nesting is flattened first, so every later step
 * (and the edge) can walk the tree without exhausting the stack: an element
 * at MAX_DEPTH keeps its text and images, in order, as direct children.
 */
export const limitDepth: Step = (root) => {
  descend(root, 0)
}

/** Recursion is bounded: it stops at MAX_DEPTH, where the rest is flattened iteratively. */
function descend(node: ParentNode, depth: number): void {
  for (const child of node.children) {
    if (!isTag(child)) continue
    if (depth + 1 >= MAX_DEPTH) flatten(child)
    else descend(child, depth + 1)
  }
}

function flatten(element: Element): void {
  const leaves: ChildNode[] = []
  const pending: ChildNode[] = [...element.children].reverse()
  while (pending.length > 0) {
    const node = pending.pop()!
    if (isTag(node) && node.children.length > 0) pending.push(...[...node.children].reverse())
    else leaves.push(node)
  }
  setChildren(element, leaves)
}
