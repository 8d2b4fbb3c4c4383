import { createHash } from 'node:crypto'
import { slugText } from '../shared/slug-text.ts'

/** Title part of a slug is cut to this many UTF-8 bytes so `post:<slug>` stays far below KV's 512. */
const MAX_TITLE_BYTES = 180

// `s`: a title may hold a line break (a name can hold any character but `/`); the slug folds it.
const JEKYLL_NAME = /^(\d{4})-(\d{2})-(\d{2})-(.+)\.(?:md|markdown)$/is

export interface JekyllName {
  date: string
  title: string
}

/** `2022-11-15-Some title.md` → date and title parts; null when the name is not Jekyll's. */
export function parseJekyllName(basename: string): JekyllName | null {
  const m = JEKYLL_NAME.exec(basename)
  if (!m) return null
  return { date: `${m[1]}-${m[2]}-${m[3]}`, title: m[4] }
}

export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length)
}

/** slugText (see shared/slug.ts), cut to MAX_TITLE_BYTES. */
export function slugify(title: string): string {
  return truncateUtf8(slugText(title), MAX_TITLE_BYTES)
}

/** Cuts at a code point boundary; a cut slug gets a hash of the whole so cut slugs stay distinct. */
function truncateUtf8(slug: string, maxBytes: number): string {
  if (Buffer.byteLength(slug) <= maxBytes) return slug
  let out = ''
  let bytes = 0
  const room = maxBytes - 9
  for (const ch of slug) {
    const size = Buffer.byteLength(ch)
    if (bytes + size > room) break
    out += ch
    bytes += size
  }
  return `${out.replace(/-+$/, '')}-${shortHash(slug)}`
}

export interface SlugClaim {
  file: string
  slug: string
}

export interface SlugCollision {
  slug: string
  files: string[]
}

/**
 * Makes slugs unique. Among posts that want the same slug, the one whose file
 * name sorts first keeps it; each other gets a suffix hashed from its own file
 * name, so its URL does not depend on which other posts exist.
 */
export function assignUniqueSlugs(claims: SlugClaim[]): {
  slugs: Map<string, string>
  collisions: SlugCollision[]
} {
  const byslug = new Map<string, string[]>()
  for (const { file, slug } of claims) {
    const files = byslug.get(slug)
    if (files) files.push(file)
    else byslug.set(slug, [file])
  }
  const slugs = new Map<string, string>()
  const collisions: SlugCollision[] = []
  for (const [slug, files] of byslug) {
    files.sort()
    slugs.set(files[0], slug)
    if (files.length > 1) {
      collisions.push({ slug, files })
      for (const file of files.slice(1)) slugs.set(file, `${slug}-${shortHash(file, 6)}`)
    }
  }
  return { slugs, collisions }
}
