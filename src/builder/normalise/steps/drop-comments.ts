import type { Step } from '../step.ts'
import { isTag, isText, type ParentNode, remove } from '../tree.ts'

/**
 * Comments (and processing instructions) go: a browser ends a comment at
 * `--!>` where other parsers do not, so none is ever emitted.
 */
export const dropComments: Step = (root) => {
  const visit = (node: ParentNode) => {
    for (const child of [...node.children]) {
      if (isTag(child)) visit(child)
      else if (!isText(child)) remove(child)
    }
  }
  visit(root)
}
