/**
 * What a build leaves for the next one, so that a machine without the build
 * cache (a fresh CI runner) still renders only what changed: per content file,
 * the hash of its bytes and what it produced — the front matter the site-wide
 * parts (listings, slugs, neighbours, local links) need, the published slug,
 * the stored value's hash and size, and short hashes of the body's link
 * targets. Deploy keeps it in KV beside the key hashes (see deploy-state.ts).
 *
 * A record is per file with named fields so later features can add what they
 * track per post (image URLs, search rows) next to these.
 */
import { createHash } from 'node:crypto'
import { SHORT_HASH_CHARS } from '../shared/image-archive.ts'
import type { StoredPost } from '../shared/schema.ts'
import type { Removals } from './normalise/index.ts'
import type { PostFrontMatter } from './parse-post.ts'

/** The front matter of a published post that decisions across posts use. */
export type RecordedPost = Pick<
  PostFrontMatter,
  'title' | 'date' | 'updated' | 'author' | 'from' | 'tags' | 'categories' | 'slug' | 'explicitSlug'
>

export interface FileRecord {
  /** `fileKey` of the name and bytes the post was built from. */
  source: string
  post: RecordedPost
  /** The slug it was published under (after making slugs unique). */
  slug: string
  /** The stored post's `hash`, and its value's size in bytes. */
  hash: string
  bytes: number
  /** `linkHash` of each link target of the body, concatenated. */
  links: string
  /** `imageHash` of each image URL the page shows, concatenated (the image archive's record of what the post uses). */
  images?: string
  /** Oddities the build recovered from (a fallback title or date), reported again when the record is reused. */
  warnings?: PostFrontMatter['warnings']
  /** What the rules removed from the body, for removed.json and the removal warnings. */
  removals?: Removals
  /** The `hash` of the post's search row (builder/search-doc.ts): deploy rewrites the row when it differs. */
  search?: string
}

export interface BuildState {
  /** Version of the build code that wrote it: records of another version are not reused. */
  version: string
  /** Published posts by file (relative to the content folder). */
  files: Record<string, FileRecord>
  /** Posts that took part in local links but were not published (a check after rendering failed): [from, url]. */
  unpublishedLinks: [string, string][]
}

/** A previous build's state as a build is given it. */
export interface PreviousBuild extends BuildState {
  /**
   * The stored listings are not all the ones these records make (an interrupted deploy already
   * rewrote some): every listing is made again rather than only those of changed posts.
   */
  listingsStale?: boolean
}

/** Characters of a link hash: 36 bits, so a false match (which only costs a render) is rare at 10,000 posts. */
const LINK_HASH_CHARS = 6

/** A short hash of a `linkKey`. */
export function linkHash(linkKey: string): string {
  return createHash('sha256').update(linkKey).digest('base64url').slice(0, LINK_HASH_CHARS)
}

export function linkHashes(linkKeys: readonly string[]): string {
  return linkKeys.map(linkHash).join('')
}

/** Does the record's body link to any of these link hashes? */
export function linksAny(record: FileRecord, hashes: ReadonlySet<string>): boolean {
  if (hashes.size === 0) return false
  for (let at = 0; at < record.links.length; at += LINK_HASH_CHARS)
    if (hashes.has(record.links.slice(at, at + LINK_HASH_CHARS))) return true
  return false
}

/** A short hash of an image URL: the first hex characters of the SHA-256 the archive's index is keyed by. */
export function imageHash(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, SHORT_HASH_CHARS)
}

/** The image hashes a record keeps. */
export function recordedImages(record: Pick<FileRecord, 'images'>): string[] {
  const images = record.images ?? ''
  return Array.from({ length: images.length / SHORT_HASH_CHARS }, (_, i) =>
    images.slice(i * SHORT_HASH_CHARS, (i + 1) * SHORT_HASH_CHARS),
  )
}

export function recordedPost(post: PostFrontMatter): RecordedPost {
  const { title, date, updated, author, from, tags, categories, slug, explicitSlug } = post
  return { title, date, updated, author, from, tags, categories, slug, explicitSlug }
}

/** The fields of a published post that listings, neighbours and the manifest read. */
export type ListedPost = Pick<
  StoredPost,
  'file' | 'slug' | 'url' | 'title' | 'date' | 'updated' | 'author' | 'tags' | 'categories'
>
