import { selectAll } from 'css-select'
import { MAX_TERM_BYTES } from '../shared/listings.ts'
import type { PostFields } from '../shared/schema.ts'
import { readFrontMatter } from './front-matter.ts'
import { renderMarkdown } from './markdown.ts'
import { parseBody, textOf } from './normalise/tree.ts'
import { readDate } from './post-date.ts'
import { PostError } from './post-error.ts'
import { shownValue } from './report-text.ts'
import { type JekyllName, parseJekyllName, slugify } from './slugs.ts'

/** What a content file's front matter and name say, validated, before slugs are made unique. */
export interface PostFrontMatter extends PostFields {
  /** The slug this post asks for: front matter `slug`, else date + title from the file name. */
  slug: string
  /** True when the slug came from front matter: a duplicate is then the author's error. */
  explicitSlug: boolean
  permalink?: string
  draft: boolean
  /** What the file lacked and how the build made up for it (a fallback title or date). */
  warnings: { message: string; line?: number }[]
}

/** A content file with its Markdown body. */
export interface PostSource extends PostFrontMatter {
  markdown: string
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** Decodes strictly; invalid UTF-8 is reported with the line it is on. */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    let line = 1
    let start = 0
    while (start <= bytes.length) {
      let end = bytes.indexOf(0x0a, start)
      if (end === -1) end = bytes.length
      try {
        utf8.decode(bytes.subarray(start, end))
      } catch {
        throw new PostError(file, 'invalid UTF-8', line)
      }
      start = end + 1
      line++
    }
    throw new PostError(file, 'invalid UTF-8')
  }
}

/** Validates a content file's name and front matter; the body stays Markdown (rendering is the costly part). */
export function readPost(file: string, source: string): PostSource {
  const { data, content } = readFrontMatter(file, source)
  const lineOf = (key: string) => frontMatterLine(source, key)

  const basename = file.split('/').pop() ?? file
  const jekyll = parseJekyllName(basename)
  const from = sourceUrl(file, data.from, lineOf('from'))
  const warnings: PostFrontMatter['warnings'] = []

  // The file name's date is part of the URL and the fallback date: a real day in the years 1000–9999.
  const nameDate = jekyll && readDate(jekyll.date)
  if (nameDate && 'invalid' in nameDate)
    throw new PostError(file, `the date in the file name, ${jekyll.date}, is not a date (${nameDate.invalid})`)

  let title = displayText(data.title)
  if (!title) {
    const fallback = fallbackTitle(content, from, basename, jekyll)
    title = fallback.title
    const what = data.title === undefined ? 'no title' : 'empty title'
    warnings.push({ message: `${what}; published as "${title}" (${fallback.from})`, line: lineOf('title') })
  }

  let date: string
  if (data.date === undefined || data.date === null || data.date === '') {
    // Jekyll takes a post's date from its file name when front matter has none.
    if (!nameDate) throw new PostError(file, 'missing date (none in front matter or file name)', lineOf('date'))
    date = nameDate.iso
    warnings.push({ message: `no date; published with the file name's ${jekyll?.date}`, line: lineOf('date') })
  } else date = postDate(file, 'date', data.date, lineOf('date'))
  const updated =
    data.updated === undefined ? undefined : postDate(file, 'updated date', data.updated, lineOf('updated'))

  const explicit = scalarText(data.slug)
  let slug: string
  if (explicit) {
    slug = slugify(explicit)
    if (!slug) throw new PostError(file, `slug has no letters or digits: ${shownValue(explicit)}`, lineOf('slug'))
  } else if (jekyll) {
    slug = slugify(jekyll.title) || 'post'
  } else {
    throw new PostError(file, 'file name is not YYYY-MM-DD-title.md and front matter has no slug')
  }
  // Dated slugs keep Jekyll's identity (date + title) and the /YYYY/MM/DD/ URL.
  const datePrefix = jekyll?.date ?? date.slice(0, 10)

  return {
    file,
    slug: `${datePrefix}-${slug}`,
    explicitSlug: Boolean(explicit),
    title,
    date,
    updated,
    author: displayText(data.author),
    from,
    tags: termList(file, 'tag', data.tags, lineOf('tags')),
    categories: termList(file, 'category', data.categories, lineOf('categories')),
    comments: isTrue(data.comments),
    description: displayText(data.description),
    image: leadImage(data.image, warnings, lineOf('image')),
    layout: scalarText(data.layout),
    permalink: scalarText(data.permalink),
    draft: isTrue(data.draft),
    warnings,
    markdown: content,
  }
}

/**
 * A title for a post without one, as readable as the file allows: the body's
 * first heading, else the last path segment of `from` (`the-end-of-zero-covid`
 * → `The end of zero covid`), else the title part of the file name.
 */
function fallbackTitle(
  markdown: string,
  from: string | undefined,
  basename: string,
  jekyll: JekyllName | null,
): { title: string; from: string } {
  const root = parseBody(renderMarkdown(markdown))
  for (const heading of selectAll('h1, h2, h3, h4, h5, h6', root.children)) {
    const text = textOf(heading).replace(/\s+/g, ' ').trim()
    if (text) return { title: text, from: 'the first heading of the body' }
  }
  const segment = from ? new URL(from).pathname.split('/').filter(Boolean).pop() : undefined
  const words =
    segment &&
    safeDecode(segment)
      .replace(/\.\w{2,5}$/, '')
      .replace(/[-_+\s]+/g, ' ')
      .trim()
  if (words && /[\p{L}\p{N}]/u.test(words) && !/^\d+$/.test(words.replace(/ /g, ''))) {
    return { title: words[0].toUpperCase() + words.slice(1), from: 'the last part of its source URL' }
  }
  return { title: jekyll?.title ?? basename.replace(/\.(md|markdown)$/i, ''), from: 'its file name' }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

/**
 * Text shown to readers. Mirror bots copy HTML entities into front matter (`Dong Lin &#38; Summer
 * Sun`), which Jekyll printed as markup and browsers decoded; the layout escapes text, so decode them here.
 */
function displayText(value: unknown): string | undefined {
  return scalarText(value)?.replace(
    /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos|nbsp));/gi,
    (entity, dec, hex, name) => {
      if (name) return NAMED_ENTITIES[name.toLowerCase()]
      const code = dec ? Number(dec) : Number.parseInt(hex, 16)
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : entity
    },
  )
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** Jekyll accepts a list or a space-separated string for tags and categories. */
function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : []
  const out: string[] = []
  for (const item of items) {
    const text = scalarText(item)
    if (text && !out.includes(text)) out.push(text)
  }
  return out
}

/** Tags or categories; one too long to be a listing's key (see shared/listings.ts MAX_TERM_BYTES) is the post's error. */
function termList(file: string, what: 'tag' | 'category', value: unknown, line?: number): string[] {
  const terms = stringList(value)
  const long = terms.find((name) => new TextEncoder().encode(name).length > MAX_TERM_BYTES)
  if (long) throw new PostError(file, `${what} is longer than ${MAX_TERM_BYTES} bytes: ${shownValue(long)}`, line)
  return terms
}

/** `True`/`true` (Jekyll's mirrors write both); never String(value): an alias bomb would print as billions of items. */
function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true')
}

/** A front-matter date as ISO 8601, or the post's error (see post-date.ts). */
function postDate(file: string, what: string, value: unknown, line?: number): string {
  const reading = readDate(value)
  if ('iso' in reading) return reading.iso
  const why = reading.invalid ? ` (${reading.invalid})` : ''
  throw new PostError(file, `invalid ${what}: ${shownValue(value)}${why}`, line)
}

/**
 * Front matter `image`, the post's picture in link previews (og:image): an absolute http(s) URL, else
 * dropped with a warning (a path or a data: URL would be signed for the image proxy, which cannot fetch it).
 */
function leadImage(value: unknown, warnings: PostFrontMatter['warnings'], line?: number): string | undefined {
  const text = scalarText(value)
  if (text === undefined) return undefined
  if (isHttpUrl(text)) return text
  warnings.push({ message: `image is not an absolute http(s) URL, so not used: ${shownValue(text)}`, line })
  return undefined
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

function sourceUrl(file: string, value: unknown, line?: number): string | undefined {
  const text = scalarText(value)
  if (!text) return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new PostError(file, `from is not an absolute URL: ${shownValue(text)}`, line)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PostError(file, `from must be an http(s) URL: ${shownValue(text)}`, line)
  }
  return url.href
}

/** Line of a top-level front matter key, for errors about its value. */
function frontMatterLine(source: string, key: string): number | undefined {
  const lines = source.split('\n', 200)
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].startsWith('---')) return undefined
    if (lines[i].startsWith(`${key}:`)) return i + 1
  }
  return undefined
}
