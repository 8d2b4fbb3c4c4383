import {
  ALLOWED_ELEMENTS,
  attributeAllowed,
  cleanAttribute,
  DROPPED_ELEMENTS,
  VOID_ELEMENTS,
} from '../../shared/html-policy.ts'
import { escapeAttribute, escapeText } from './html.ts'
import type { ElementRewrite, RewriteState } from './steps/types.ts'

/**
 * The parts of a DOM node (linkedom's) the serialiser reads. Siblings and
 * children are followed by reference: linkedom builds `childNodes` afresh, as
 * an array, on every read.
 */
export interface DomNode {
  nodeType: number
  firstChild: DomNode | null
  nextSibling: DomNode | null
  localName?: string
  data?: string
  hasAttributes?(): boolean
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
  // The elements walked into, each with the end tag to write on leaving it ('' where only the content is kept).
  const open: { node: DomNode; close: string }[] = []
  let node = root.firstChild
  while (node !== null) {
    const close = emit(node)
    const child = close === null ? null : node.firstChild
    if (child !== null) {
      open.push({ node, close: close! })
      node = child
      continue
    }
    if (close !== null) out += close
    let next = node.nextSibling
    while (next === null && open.length > 0) {
      const parent = open.pop()!
      out += parent.close
      next = parent.node.nextSibling
    }
    node = next
  }
  return out

  /** Writes what `node` starts with; returns the end tag when its children are to be walked, else null. */
  function emit(node: DomNode): string | null {
    if (node.nodeType === TEXT_NODE) out += escapeText(node.data ?? '')
    if (node.nodeType !== ELEMENT_NODE) return null
    const name = (node.localName ?? '').toLowerCase()
    if (DROPPED_ELEMENTS.has(name)) return null
    if (!(name in ALLOWED_ELEMENTS)) return ''
    const attributes = allowedAttributes(node, name)
    if (!rewrites.every((rewrite) => rewrite(name, attributes, state))) return null
    out += startTag(name, attributes)
    if (VOID_ELEMENTS.has(name)) return null
    // An iframe's content is never shown (a browser reads it as text): none is written.
    if (name === 'iframe') {
      out += '</iframe>'
      return null
    }
    return `</${name}>`
  }
}

function startTag(name: string, attributes: Map<string, string>): string {
  let tag = `<${name}`
  for (const [attribute, value] of attributes)
    tag += value === '' ? ` ${attribute}` : ` ${attribute}="${escapeAttribute(value)}"`
  return `${tag}>`
}

function allowedAttributes(node: DomNode, element: string): Map<string, string> {
  const attributes = new Map<string, string>()
  if (!node.hasAttributes?.()) return attributes
  for (const raw of node.getAttributeNames?.() ?? []) {
    const name = raw.toLowerCase()
    if (attributes.has(name) || !attributeAllowed(element, name)) continue
    const value = cleanAttribute(element, name, node.getAttribute?.(raw) ?? '')
    if (value !== null) attributes.set(name, value)
  }
  return attributes
}
