/**
 * What a served article body may contain. One allowlist, applied twice: by the
 * build's sanitiser (spec parser, src/builder/normalise) and again by the edge
 * serialiser as defence in depth. Anything not listed here is never emitted.
 */

/** Elements kept, each with the attributes it may carry (beyond GLOBAL_ATTRIBUTES). */
export const ALLOWED_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'hreflang'],
  abbr: [],
  article: [],
  aside: [],
  b: [],
  bdi: [],
  bdo: [],
  blockquote: ['cite'],
  br: [],
  caption: [],
  cite: [],
  code: [],
  col: ['span'],
  colgroup: ['span'],
  dd: [],
  del: ['cite', 'datetime'],
  details: ['open'],
  dfn: [],
  // A table's scrolling region (the build's tableRegions step).
  div: ['role', 'aria-label', 'tabindex'],
  dl: [],
  dt: [],
  em: [],
  figcaption: [],
  figure: [],
  footer: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  header: [],
  hr: [],
  i: [],
  iframe: ['src', 'width', 'height', 'allowfullscreen', 'sandbox', 'loading', 'referrerpolicy'],
  img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding'],
  ins: ['cite', 'datetime'],
  kbd: [],
  li: ['value'],
  mark: [],
  ol: ['start', 'reversed', 'type'],
  p: [],
  picture: [],
  pre: [],
  q: ['cite'],
  rp: [],
  rt: [],
  ruby: [],
  s: [],
  samp: [],
  section: [],
  small: [],
  source: ['srcset', 'sizes', 'media', 'type', 'src'],
  span: [],
  strong: [],
  sub: [],
  summary: [],
  sup: [],
  table: [],
  tbody: [],
  td: ['colspan', 'rowspan', 'headers'],
  tfoot: [],
  th: ['colspan', 'rowspan', 'headers', 'scope'],
  thead: [],
  time: ['datetime'],
  tr: [],
  u: [],
  ul: [],
  var: [],
  video: ['src', 'poster', 'width', 'height', 'controls', 'preload'],
  audio: ['src', 'controls', 'preload'],
  wbr: [],
}

/**
 * Attributes only the build writes (accessibility markup it adds): the
 * build's sanitiser never takes them from the source, and their values are
 * held to what the build writes — a `role` of `region`, a `tabindex` of `0`.
 */
export const BUILD_ATTRIBUTES: ReadonlySet<string> = new Set(['role', 'aria-label', 'tabindex'])
const BUILD_VALUES: Readonly<Record<string, RegExp>> = { role: /^region$/, tabindex: /^0$/, 'aria-label': /\S/ }

/** Attributes any allowed element may carry. `id` is prefixed (see ID_PREFIX). */
export const GLOBAL_ATTRIBUTES: readonly string[] = ['title', 'lang', 'dir', 'id']

/**
 * Elements removed together with everything inside them: active content,
 * document-level elements, form controls, and markup whose content browsers
 * parse differently from the rest (raw text, foreign content).
 */
export const DROPPED_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'object',
  'embed',
  'applet',
  'param',
  'base',
  'link',
  'meta',
  'title',
  'head',
  'frame',
  'frameset',
  'noframes',
  'noembed',
  'xmp',
  'plaintext',
  'textarea',
  'select',
  'option',
  'optgroup',
  'datalist',
  'input',
  'button',
  'svg',
  'math',
  'canvas',
  'dialog',
  'portal',
  'track',
  'map',
  'area',
  'progress',
  'meter',
  'output',
])

/** Elements that never have content. */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
])

/** Attributes holding one URL, and the kind of URL each may be. */
export const URL_ATTRIBUTES: Readonly<Record<string, 'link' | 'media' | 'embed'>> = {
  href: 'link',
  cite: 'link',
  src: 'media',
  poster: 'media',
}

/** Attributes holding a srcset (image candidate list). */
export const SRCSET_ATTRIBUTES: ReadonlySet<string> = new Set(['srcset'])

/** Prefix of every id from a body, so none can clash with (or clobber) the page's own. */
export const ID_PREFIX = 'src-'

/** Embeds kept as sandboxed iframes: video players that work without same-origin access to us. */
export const EMBED_HOSTS: ReadonlySet<string> = new Set([
  'www.youtube.com',
  'youtube.com',
  'www.youtube-nocookie.com',
  'player.vimeo.com',
])

/** The sandbox every kept iframe gets: scripts for the player, no access to this origin's storage. */
export const EMBED_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-presentation'

/** Stands for this site's origin while checking a path without one. */
const SAME_SITE = 'https://same-site.invalid'
const PLAIN_HTTP = /^https?:\/\/[^\s\u0000-\u001f\u007f]+$/
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:'])
const MEDIA_SCHEMES = new Set(['http:', 'https:'])
/** Inline images a browser can show without a request; SVG is excluded (it is a document). */
const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp|avif);base64,[a-z0-9+/=\s]+$/i

/**
 * The URL as it may be emitted, or null. Relative URLs resolve against `base`
 * (the source article); without one they are paths on this site.
 * The URL parser strips tabs and newlines and lower-cases the scheme, so
 * `java\tscript:` and `JAVASCRIPT:` are caught; the emitted form is the parsed one.
 */
export function safeUrl(value: string, kind: 'link' | 'media' | 'embed', base?: string): string | null {
  const text = value.trim()
  if (!text) return null
  // Fast path for what the build stores: an absolute http(s) URL with no white space or
  // control characters has that scheme for every parser. (Embeds need their host checked.)
  if (kind !== 'embed' && PLAIN_HTTP.test(text)) return text
  if (kind === 'media' && DATA_IMAGE.test(text)) return text.replace(/\s+/g, '')
  let url: URL
  try {
    url = new URL(text, base ?? SAME_SITE)
  } catch {
    return null
  }
  // A path on this site (a mirrored post's URL the build put in) stays a path.
  if (url.origin === SAME_SITE) return kind === 'embed' ? null : `${url.pathname}${url.search}${url.hash}`
  if (kind === 'link' ? !LINK_SCHEMES.has(url.protocol) : !MEDIA_SCHEMES.has(url.protocol)) return null
  if (kind === 'embed' && !EMBED_HOSTS.has(url.hostname)) return null
  return url.href
}

export function isDataImage(url: string): boolean {
  return url.startsWith('data:')
}

export interface SrcsetCandidate {
  url: string
  /** Width (`640w`) or density (`2x`) descriptor, if any. */
  descriptor: string
}

/**
 * Splits a srcset into candidates (HTML's "parse a srcset attribute", minus
 * the rarely used `h` descriptor). URLs may contain commas; a candidate's URL
 * ends at whitespace, and a trailing comma on it ends the candidate.
 */
export function parseSrcset(value: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = []
  let i = 0
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i])) i++
    const start = i
    while (i < value.length && !/\s/.test(value[i])) i++
    let url = value.slice(start, i)
    let descriptor = ''
    if (url.endsWith(',')) url = url.replace(/,+$/, '')
    else {
      const end = value.indexOf(',', i)
      descriptor = value.slice(i, end === -1 ? value.length : end).trim()
      i = end === -1 ? value.length : end + 1
    }
    if (url) out.push({ url, descriptor })
  }
  return out
}

export function serialiseSrcset(candidates: SrcsetCandidate[]): string {
  return candidates.map((c) => (c.descriptor ? `${c.url} ${c.descriptor}` : c.url)).join(', ')
}

/** Is this attribute allowed on this element? `on*` and `style` never are. */
export function attributeAllowed(element: string, name: string): boolean {
  return GLOBAL_ATTRIBUTES.includes(name) || (ALLOWED_ELEMENTS[element]?.includes(name) ?? false)
}

/**
 * The value an allowed attribute may be emitted with, or null to drop it:
 * URLs checked (and emitted in parsed form), srcset candidates filtered,
 * ids and same-page fragments prefixed. Idempotent, so the build and the edge
 * can both apply it.
 */
export function cleanAttribute(element: string, name: string, value: string): string | null {
  if (name === 'id') return prefixed(value.trim())
  if (BUILD_ATTRIBUTES.has(name)) return BUILD_VALUES[name].test(value) ? value : null
  if (name === 'href' && value.trim().startsWith('#')) {
    const fragment = prefixed(value.trim().slice(1))
    return fragment && `#${fragment}`
  }
  const kind = element === 'iframe' && name === 'src' ? 'embed' : URL_ATTRIBUTES[name]
  if (kind) return safeUrl(value, kind)
  if (SRCSET_ATTRIBUTES.has(name)) {
    const candidates = parseSrcset(value).flatMap((c) => {
      const url = safeUrl(c.url, 'media')
      return url ? [{ ...c, url }] : []
    })
    return candidates.length > 0 ? serialiseSrcset(candidates) : null
  }
  return value
}

function prefixed(id: string): string | null {
  if (!id) return null
  return id.startsWith(ID_PREFIX) ? id : `${ID_PREFIX}${id}`
}
