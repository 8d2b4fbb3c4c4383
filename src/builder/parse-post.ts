import matter from 'gray-matter'
import type { PostFields } from '../shared/schema.ts'
import { PostError } from './post-error.ts'
import { parseJekyllName, slugify } from './slugs.ts'

/** What a content file's front matter and name say, validated, before slugs are made unique. */
export interface PostFrontMatter extends PostFields {
  /** The slug this post asks for: front matter `slug`, else date + title from the file name. */
  slug: string
  /** True when the slug came from front matter: a duplicate is then the author's error. */
  explicitSlug: boolean
  permalink?: string
  draft: boolean
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
  let parsed: matter.GrayMatterFile<string>
  try {
    // Passing options turns off gray-matter's unbounded cache of every input.
    parsed = matter(source, { excerpt: false })
  } catch (err) {
    const mark = (err as { mark?: { line?: number } }).mark
    // js-yaml counts from 0 in gray-matter's front matter text, which starts with the rest of the opening `---` line.
    const line = typeof mark?.line === 'number' ? mark.line + 1 : undefined
    const reason = (err as { reason?: string }).reason ?? (err as Error).message
    throw new PostError(file, `front matter is not valid YAML: ${reason}`, line)
  }
  const data = parsed.data as Record<string, unknown>
  const lineOf = (key: string) => frontMatterLine(source, key)

  const title = displayText(data.title)
  if (!title) throw new PostError(file, 'missing title', lineOf('title'))

  const date = isoDate(data.date)
  if (!date) {
    throw new PostError(
      file,
      data.date === undefined ? 'missing date' : `invalid date: ${String(data.date)}`,
      lineOf('date'),
    )
  }
  const updated = data.updated === undefined ? undefined : isoDate(data.updated)
  if (updated === null) throw new PostError(file, `invalid updated date: ${String(data.updated)}`, lineOf('updated'))

  const basename = file.split('/').pop() ?? file
  const jekyll = parseJekyllName(basename)
  const explicit = scalarText(data.slug)
  let slug: string
  if (explicit) {
    slug = slugify(explicit)
    if (!slug) throw new PostError(file, `slug has no letters or digits: ${explicit}`, lineOf('slug'))
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
    from: sourceUrl(file, data.from, lineOf('from')),
    tags: stringList(data.tags),
    categories: stringList(data.categories),
    comments: data.comments === true || String(data.comments).toLowerCase() === 'true',
    description: displayText(data.description),
    image: scalarText(data.image),
    layout: scalarText(data.layout),
    permalink: scalarText(data.permalink),
    draft: data.draft === true || String(data.draft).toLowerCase() === 'true',
    markdown: parsed.content,
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

function isoDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (typeof value !== 'string' || !value.trim()) return null
  // Jekyll's own form: `2022-11-15 08:45:00 +0800`.
  const jekyll = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*([+-]\d{2}):?(\d{2})$/.exec(value.trim())
  const text = jekyll ? `${jekyll[1]}T${jekyll[2]}${jekyll[3]}:${jekyll[4]}` : value.trim()
  const time = Date.parse(text)
  return Number.isNaN(time) ? null : new Date(time).toISOString()
}

function sourceUrl(file: string, value: unknown, line?: number): string | undefined {
  const text = scalarText(value)
  if (!text) return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new PostError(file, `from is not an absolute URL: ${text}`, line)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PostError(file, `from must be an http(s) URL: ${text}`, line)
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
