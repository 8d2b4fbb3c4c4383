/**
 * What the rules took from a post: characters of text per rule name, so the
 * build can warn when rules take much of a post and list it in removed.json.
 */
import type { NormaliseContext } from './step.ts'
import { type ChildNode, isTag, isText, type ParentNode } from './tree.ts'

/** Elements whose content is never shown as text (raw text, inert templates). */
const NOT_TEXT = new Set(['script', 'style', 'template', 'iframe', 'noembed', 'noframes'])

/**
 * Characters of text a reader of the source could see in a node: white space
 * and raw text aside. Iterative: it also measures bodies before limitDepth.
 */
export function textLength(node: ChildNode | ParentNode): number {
  let length = 0
  const pending: (ChildNode | ParentNode)[] = [node]
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (isText(next)) length += codePoints(next.data.replace(/\s+/g, ''))
    else if ('children' in next && !(isTag(next) && NOT_TEXT.has(next.name)))
      for (const child of next.children) pending.push(child)
  }
  return length
}

function codePoints(text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF]/g)?.length ?? 0)
}

/** Notes that `rule` removed `characters` of text (nothing is noted for removals without text). */
export function recordRemoval(context: NormaliseContext, rule: string, characters: number): void {
  if (characters > 0) context.removed.set(rule, (context.removed.get(rule) ?? 0) + characters)
}
