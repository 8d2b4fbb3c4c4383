/**
 * Walking HTML as parse5 (the WHATWG algorithm, what a browser does) parsed
 * it. Pure JavaScript: the Node and the workerd tests both use it.
 */
import { type DefaultTreeAdapterMap, parse } from 'parse5'

export type Node = DefaultTreeAdapterMap['node']
export type Element = DefaultTreeAdapterMap['element']

/** Visits `root` and everything below it in document order, template contents included. */
export function walk(root: Node, visit: (node: Node) => void): void {
  const pending: Node[] = [root]
  while (pending.length > 0) {
    const node = pending.pop()!
    visit(node)
    // Children pushed last-first, so nodes are visited in document order.
    if ('content' in node && node.content) pending.push(node.content as Node)
    if ('childNodes' in node) pending.push(...[...node.childNodes].reverse())
  }
}

/** The elements below `root` (all, or those named `tag`), in document order. */
export function elementsOf(root: Node, tag?: string): Element[] {
  const out: Element[] = []
  walk(root, (node) => {
    if ('tagName' in node && (!tag || node.tagName === tag)) out.push(node)
  })
  return out
}

export function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value
}

/** Every image URL a browser would load from the page: img src/srcset, picture source srcset, video poster. */
export function imageUrls(html: string): string[] {
  const urls: string[] = []
  for (const element of elementsOf(parse(html))) {
    const src =
      element.tagName === 'img'
        ? attr(element, 'src')
        : element.tagName === 'video'
          ? attr(element, 'poster')
          : undefined
    if (src) urls.push(src)
    const srcset = element.tagName === 'img' || element.tagName === 'source' ? attr(element, 'srcset') : undefined
    if (srcset)
      urls.push(
        ...srcset
          .split(',')
          .map((candidate) => candidate.trim().split(/\s+/)[0])
          .filter(Boolean),
      )
  }
  return urls.filter((url) => !url.startsWith('data:'))
}
