/**
 * Text for XML documents (feeds, sitemaps) that is well-formed whatever the
 * input: characters XML 1.0 forbids (C0 controls but tab and newlines, lone
 * surrogates, U+FFFE/U+FFFF) are dropped, and so are DEL and the C1 controls,
 * which XML allows but no reader wants; markup characters are escaped.
 */
const UNWANTED = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

export function cleanText(text: string): string {
  return text.replace(UNWANTED, '')
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Clean, escaped text, safe in element content and in double- or single-quoted attributes. */
export function xmlText(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch])
}

/** `<name a="…">children</name>`; attributes that are undefined are left out, children are already XML. */
export function element(name: string, attributes: Record<string, string | undefined>, ...children: string[]): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlText(value)}"`)
    .join('')
  return children.length === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>${children.join('')}</${name}>`
}

/** An element holding text only. */
export function textElement(name: string, text: string, attributes: Record<string, string | undefined> = {}): string {
  return element(name, attributes, xmlText(text))
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
