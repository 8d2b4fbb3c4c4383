import type { Step } from '../step.ts'
import { type ChildNode, type Element, type ParentNode, isTag, setChildren } from '../tree.ts'

/** Deeper than this, markup is flattened (browsers cap nesting too; no article needs more). */
export const MAX_DEPTH = 128

/**
 * Pathological nesting is flattened first, iteratively, so every later step
 * (and the edge) can walk the tree without exhausting the stack: an element
 * at MAX_DEPTH keeps its text and images, in order, as direct children.
 */
export const limitDepth: Step = (root) => {
  const pending: [ParentNode, number][] = [[root, 0]]
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!
    for (const child of node.children) {
      if (!isTag(child)) continue
      if (depth + 1 >= MAX_DEPTH) flatten(child)
      else pending.push([child, depth + 1])
    }
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
