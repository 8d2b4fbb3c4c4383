/**
 * The build's HTML tree: parse5 (the WHATWG parsing algorithm, as browsers
 * run it) building domhandler nodes, so css-select can match rules against it
 * and parse5 can serialise it back.
 */
import { type ChildNode, Element, isTag, isText, type ParentNode, Text } from 'domhandler'
import { html, parseFragment, serializeOuter } from 'parse5'
import { adapter } from 'parse5-htmlparser2-tree-adapter'

export type { ChildNode, ParentNode }
export { Element, isTag, isText, Text }

/**
 * Parses a body as the children of a `<div>`, the element it is served in.
 * Scripting is off so `<noscript>` content is markup (its fallback images),
 * which the noscript step then resolves; no `<noscript>` is ever emitted.
 */
export function parseBody(source: string): ParentNode {
  const context = adapter.createElement('div', html.NS.HTML, [])
  return parseFragment(context, source, { treeAdapter: adapter, scriptingEnabled: false })
}

/** The children serialised by the spec's algorithm (text and attribute values escaped). */
export function serialiseChildren(root: ParentNode): string {
  let out = ''
  for (const child of root.children) out += serializeOuter(child, { treeAdapter: adapter })
  return out
}

/** Every element under `root`, in document order, as a snapshot (safe to mutate while iterating). */
export function elements(root: ParentNode): Element[] {
  const out: Element[] = []
  const visit = (node: ParentNode) => {
    for (const child of node.children) {
      if (isTag(child)) {
        out.push(child)
        visit(child)
      }
    }
  }
  visit(root)
  return out
}

/** The elements that no other of them contains (removing those removes them all). */
export function outermost(found: Element[]): Element[] {
  const set = new Set(found)
  return found.filter((element) => {
    for (let parent = element.parent; parent; parent = parent.parent) if (set.has(parent as Element)) return false
    return true
  })
}

/** The nearest ancestor element that passes `test`. */
export function closest(node: ChildNode, test: (element: Element) => boolean): Element | undefined {
  for (let parent = node.parent; parent && isTag(parent); parent = parent.parent) if (test(parent)) return parent
  return undefined
}

/** Detaches a node from its parent. */
export function remove(node: ChildNode): void {
  const parent = node.parent
  if (!parent) return
  const i = parent.children.indexOf(node)
  if (i !== -1) parent.children.splice(i, 1)
  if (node.prev) node.prev.next = node.next
  if (node.next) node.next.prev = node.prev
  node.parent = node.prev = node.next = null
}

/** Replaces an element by its children. */
export function unwrap(element: Element): void {
  replaceWith(element, element.children)
}

/** Replaces a node by the given nodes (detached from wherever they were). */
export function replaceWith(node: ChildNode, replacements: ChildNode[]): void {
  const parent = node.parent
  if (!parent) return
  const moved = [...replacements]
  for (const child of moved) remove(child)
  const i = parent.children.indexOf(node)
  parent.children.splice(i, 1, ...moved)
  for (const child of moved) child.parent = parent
  node.parent = null
  relink(parent)
}

/** Re-threads prev/next after a splice. */
function relink(parent: ParentNode): void {
  const children = parent.children
  for (let i = 0; i < children.length; i++) {
    children[i].prev = children[i - 1] ?? null
    children[i].next = children[i + 1] ?? null
  }
}

export function createElement(name: string, attribs: Record<string, string>, children: ChildNode[] = []): Element {
  const element = new Element(name, attribs, [])
  setChildren(element, children)
  return element
}

/** Makes `children` (wherever they were) the element's only children. */
export function setChildren(element: Element, children: ChildNode[]): void {
  for (const child of element.children) child.parent = null
  element.children = children
  for (const child of children) child.parent = element
  relink(element)
}

/** The text of a node as a browser would hold it in the DOM (textContent). */
export function textOf(node: ChildNode | ParentNode): string {
  if (isText(node)) return node.data
  if (!('children' in node)) return ''
  let out = ''
  for (const child of node.children) out += textOf(child)
  return out
}
