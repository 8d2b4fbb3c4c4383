import type { Step } from '../step.ts'
import { type ChildNode, isTag, isText, type ParentNode, remove } from '../tree.ts'

/** Elements that show something without any text. */
const CONTENT = new Set(['img', 'iframe', 'video', 'audio', 'hr'])
/** Elements kept even when empty: line breaks, and table parts (columns stay aligned). */
const STRUCTURAL = new Set(['br', 'wbr', 'td', 'th', 'tr', 'col', 'colgroup', 'source'])

/**
 * Elements left with nothing to show — the slots and wrappers of removed ads
 * and widgets, spacer paragraphs, links around nothing — go.
 */
export const dropEmpty: Step = (root) => {
  pruneChildren(root)
}

/** Removes the empty children; says whether anything that shows remains. */
function pruneChildren(node: ParentNode): boolean {
  let shows = false
  for (const child of [...node.children]) if (prune(child)) shows = true
  return shows
}

function prune(node: ChildNode): boolean {
  if (isText(node)) return /\S/.test(node.data)
  if (!isTag(node)) return false
  if (CONTENT.has(node.name)) return true
  if (pruneChildren(node)) return true
  if (!STRUCTURAL.has(node.name)) remove(node)
  return false
}
