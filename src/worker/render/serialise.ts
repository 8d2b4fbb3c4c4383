import {
  ALLOWED_ELEMENTS,
  attributeAllowed,
  cleanAttribute,
  DROPPED_ELEMENTS,
  VOID_ELEMENTS,
} from '../../shared/html-policy.ts'
import { escapeAttribute, escapeText } from './html.ts'
import type { ElementRewrite, RewriteState } from './steps/types.ts'

/** The parts of a DOM node (linkedom's) the serialiser reads. */
export interface DomNode {
  nodeType: number
  childNodes: ArrayLike<DomNode>
  localName?: string
  data?: string
  getAttributeNames?(): string[]
  getAttribute?(name: string): string | null
}

export const ELEMENT_NODE = 1
const TEXT_NODE = 3

/**
 * Emits the children of `root` as HTML, enforcing the allowlist (shared/html-policy.ts)
 * on the way — defence in depth behind the build's sanitiser, whatever the
 * stored HTML holds: only allowed elements and attributes with safe values
 * are written, text and attribute values are escaped, and comments,
 * processing instructions and everything else that is not an element or text
 * are left out. The per-request rewrites run on each kept element.
 * Iterative, so no nesting depth can exhaust the stack.
 */
export function serialise(root: DomNode, state: RewriteState, rewrites: readonly ElementRewrite[]): string {
  let out = ''
  // Each frame: the children being walked, the next index, and the end tag to write when done.
  const stack: { nodes: ArrayLike<DomNode>; index: number; close: string }[] = [
    { nodes: root.childNodes, index: 0, close: '' },
  ]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    if (frame.index >= frame.nodes.length) {
      out += frame.close
      stack.pop()
      continue
    }
    const node = frame.nodes[frame.index++]
    if (node.nodeType === TEXT_NODE) out += escapeText(node.data ?? '')
    if (node.nodeType !== ELEMENT_NODE) continue
    const name = (node.localName ?? '').toLowerCase()
    if (DROPPED_ELEMENTS.has(name)) continue
    if (!(name in ALLOWED_ELEMENTS)) {
      stack.push({ nodes: node.childNodes, index: 0, close: '' })
      continue
    }
    const attributes = allowedAttributes(node, name)
    if (!rewrites.every((rewrite) => rewrite(name, attributes, state))) continue
    out += startTag(name, attributes)
    if (VOID_ELEMENTS.has(name)) continue
    // An iframe's content is never shown (a browser reads it as text): none is written.
    stack.push({ nodes: name === 'iframe' ? [] : node.childNodes, index: 0, close: `</${name}>` })
  }
  return out
}

function startTag(name: string, attributes: Map<string, string>): string {
  let tag = `<${name}`
  for (const [attribute, value] of attributes)
    tag += value === '' ? ` ${attribute}` : ` ${attribute}="${escapeAttribute(value)}"`
  return `${tag}>`
}

function allowedAttributes(node: DomNode, element: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const raw of node.getAttributeNames?.() ?? []) {
    const name = raw.toLowerCase()
    if (attributes.has(name) || !attributeAllowed(element, name)) continue
    const value = cleanAttribute(element, name, node.getAttribute?.(raw) ?? '')
    if (value !== null) attributes.set(name, value)
  }
  return attributes
}
