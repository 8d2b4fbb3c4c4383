/**
 * Judges rendered HTML the way a browser does: parsed by parse5 (the WHATWG
 * algorithm), then walked for anything that could run script, load from
 * elsewhere unasked, or escape the article. Independent of the renderer's own
 * allowlist on purpose.
 */
import { type DefaultTreeAdapterMap, parse, parseFragment } from 'parse5'
import { attr, type Element, type Node, walk } from './html-tree.ts'

const FORBIDDEN = new Set([
  'script',
  'object',
  'embed',
  'applet',
  'form',
  'base',
  'frame',
  'frameset',
  'noscript',
  'style',
  'svg',
  'math',
  'template',
  'link',
  'meta',
  'input',
  'button',
  'textarea',
  'select',
])
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'poster',
  'action',
  'formaction',
  'data',
  'cite',
  'background',
  'ping',
  'xlink:href',
  'codebase',
])
const PLAYERS = new Set(['www.youtube.com', 'youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com'])
const ORIGIN = 'https://reader.example/'

export interface SafetyOptions {
  /** Every third-party image must load through this site's /img/ proxy (inline data and this site's own paths need not). */
  proxiedImages?: boolean
}

/** Problems in an article body (a fragment served inside the page's `<div class="body">`). */
export function bodyProblems(html: string, options: SafetyOptions = {}): string[] {
  const context = parseFragment('<div></div>').childNodes[0] as Element
  const problems: string[] = []
  walk(parseFragment(context, html, {}), (node) => checkBodyNode(node, problems, options))
  return problems
}

/**
 * Problems in a whole page: its head may hold JSON-LD and metadata, its body
 * must be clean — but for the site's own search forms outside the article.
 */
export function pageProblems(html: string, options: SafetyOptions = {}): string[] {
  const document = parse(html)
  const problems: string[] = []
  const htmlElement = document.childNodes.find((n): n is Element => 'tagName' in n && n.tagName === 'html')
  const searchForms = new Set<Node>()
  for (const part of htmlElement?.childNodes ?? []) {
    if (!('tagName' in part)) continue
    if (part.tagName === 'head') walk(part, (node) => checkHeadNode(node, problems))
    else
      walk(part, (node) => {
        if ('parentNode' in node && node.parentNode && searchForms.has(node.parentNode)) searchForms.add(node)
        else if (isSearchForm(node)) searchForms.add(node)
        if (!searchForms.has(node)) checkBodyNode(node, problems, options)
        else if ('tagName' in node && !SEARCH_FORM_PARTS.has(searchFormPart(node)))
          problems.push(`<${node.tagName}> in a search form`)
      })
  }
  return problems
}

/** What the site's search form may hold: a label, the query field and the submit button. */
const SEARCH_FORM_PARTS = new Set(['form', 'label', 'input type=search name=q', 'button type=submit'])

function searchFormPart(element: Element): string {
  if (element.tagName === 'input') return `input type=${attr(element, 'type')} name=${attr(element, 'name')}`
  if (element.tagName === 'button') return `button type=${attr(element, 'type')}`
  return element.tagName
}

/** The site's search: a GET form to /search, never inside the article. */
function isSearchForm(node: Node): boolean {
  if (!('tagName' in node) || node.tagName !== 'form') return false
  if (attr(node, 'action') !== '/search' || attr(node, 'method') !== 'get') return false
  for (let parent = node.parentNode; parent && 'tagName' in parent; parent = parent.parentNode)
    if (parent.tagName === 'article') return false
  return true
}

function checkHeadNode(node: Node, problems: string[]): void {
  if (!('tagName' in node)) return
  const type = attr(node, 'type')
  if (node.tagName === 'script' && type !== 'application/ld+json') problems.push(`script in head (type ${type})`)
  if (node.tagName === 'meta' && attr(node, 'http-equiv') !== undefined) problems.push('meta http-equiv')
  if (node.tagName === 'base') problems.push('base')
  checkAttributes(node, problems, {})
}

function checkBodyNode(node: Node, problems: string[], options: SafetyOptions): void {
  if (node.nodeName === '#comment') problems.push('comment')
  if (!('tagName' in node)) return
  if (FORBIDDEN.has(node.tagName)) problems.push(`<${node.tagName}>`)
  if (node.tagName === 'iframe') {
    const src = attr(node, 'src') ?? ''
    if (!PLAYERS.has(hostOf(src))) problems.push(`iframe from ${src}`)
    if (attr(node, 'sandbox') === undefined) problems.push('iframe without sandbox')
  }
  checkAttributes(node, problems, options)
}

function checkAttributes(element: Element, problems: string[], options: SafetyOptions): void {
  for (const { name, value } of element.attrs) {
    if (name.startsWith('on')) problems.push(`${element.tagName}[${name}]`)
    if (name === 'style' && /url\s*\(|@import|expression\s*\(|javascript:/i.test(value))
      problems.push(`style loading ${value}`)
    const image = (element.tagName === 'img' || element.tagName === 'source') && (name === 'src' || name === 'srcset')
    const urls =
      name === 'srcset'
        ? value
            .split(',')
            .map((c) => c.trim().split(/\s+/)[0])
            .filter(Boolean)
        : URL_ATTRIBUTES.has(name)
          ? [value]
          : []
    for (const url of urls) {
      const scheme = schemeOf(url)
      if (scheme === 'javascript:' || scheme === 'vbscript:') problems.push(`${element.tagName}[${name}] ${url}`)
      if (scheme === 'data:' && !(image && /^data:image\/(png|gif|jpeg|webp|avif)[;,]/i.test(url.trim())))
        problems.push(`${element.tagName}[${name}] data URL`)
      const thirdParty = scheme !== 'data:' && !(url.startsWith('/') && !url.startsWith('//'))
      const proxied = url.startsWith('/img/')
      if (
        options.proxiedImages &&
        (image || (element.tagName === 'video' && name === 'poster')) &&
        thirdParty &&
        !proxied
      )
        problems.push(`unproxied image ${url}`)
    }
  }
}

function schemeOf(url: string): string {
  try {
    return new URL(url, ORIGIN).protocol
  } catch {
    return 'invalid:'
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url, ORIGIN).hostname
  } catch {
    return ''
  }
}

/** The text a browser would hold for this HTML fragment (textContent of its parse). */
export function browserText(html: string): string {
  let text = ''
  walk(parseFragment(html), (node) => {
    if (node.nodeName === '#text') text += (node as DefaultTreeAdapterMap['textNode']).value
  })
  return text
}
