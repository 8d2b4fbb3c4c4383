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
    if (isText(next)) length += visibleCharacters(next.data)
    else if ('children' in next && !(isTag(next) && NOT_TEXT.has(next.name)))
      for (const child of next.children) pending.push(child)
  }
  return length
}

/** Code points that are not white space (as `\s` defines it), without allocating: bodies run to megabytes. */
function visibleCharacters(text: string): number {
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ((c >= 0xdc00 && c <= 0xdfff) || isSpace(c)) continue // a low surrogate counts with its pair
    count++
  }
  return count
}

function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d)
  if (c < 0xa0) return false
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/** Notes that `rule` removed `characters` of text (nothing is noted for removals without text). */
export function recordRemoval(context: NormaliseContext, rule: string, characters: number): void {
  if (characters > 0) context.removed.set(rule, (context.removed.get(rule) ?? 0) + characters)
}
