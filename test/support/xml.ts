import { SaxesParser } from 'saxes'

/** An element of a parsed XML document. */
export interface XmlElement {
  /** Local name; `uri` is its namespace. */
  name: string
  uri: string
  attributes: Record<string, string>
  children: XmlElement[]
  /** The element's own character data (text and CDATA, not its children's). */
  text: string
}

/**
 * Parses XML with saxes, a strict XML 1.0 parser: any well-formedness error —
 * a forbidden character, an undefined entity, a mismatched tag — throws.
 */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  parser.on('error', (err) => {
    throw err
  })
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {}
    for (const attr of Object.values(tag.attributes)) attributes[attr.name] = attr.value
    const element: XmlElement = { name: tag.local, uri: tag.uri, attributes, children: [], text: '' }
    if (stack.length > 0) stack[stack.length - 1].children.push(element)
    else root = element
    stack.push(element)
  })
  parser.on('closetag', () => stack.pop())
  parser.on('text', (text) => {
    if (stack.length > 0) stack[stack.length - 1].text += text
  })
  parser.on('cdata', (text) => {
    if (stack.length > 0) stack[stack.length - 1].text += text
  })
  parser.write(xml).close()
  if (!root) throw new Error('no root element')
  return root
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name)
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return children(element, name)[0]
}
