/**
 * The build cache: what reading one content file produced (front matter, and
 * the rendered and normalised body with the local links it used), keyed by the
 * file's name and bytes, so a rebuild only reads and hashes unchanged posts.
 *
 * One append-only file per code version — records of `[u32 length][v8 value]`
 * — is loaded at start; a build appends the records it made and rewrites the
 * file only when most of it is stale. The code version covers parse-post.ts,
 * render-body.ts, every module they import and package-lock.json: changing any of
 * them starts an empty cache. Lives in node_modules/.cache (or BUILD_CACHE_DIR);
 * BUILD_CACHE=off disables it. A missing, torn or unreadable file only costs time.
 */
import { createHash } from 'node:crypto'
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import type { NormalisedArticle, Removals } from './normalise/index.ts'
import type { PostFrontMatter } from './parse-post.ts'

const PROJECT = join(import.meta.dirname, '../..')
/** The modules that turn a content file into what is cached; the modules they import are found from these. */
const ENTRY_MODULES = [join(import.meta.dirname, 'parse-post.ts'), join(import.meta.dirname, 'render-body.ts')]
export const DEFAULT_CACHE_DIR =
  process.env.BUILD_CACHE_DIR ?? join(PROJECT, 'node_modules/.cache/edge-news-archive/build')
export const cacheEnabled = process.env.BUILD_CACHE !== 'off'

/** A normalised body and the local links it was made with. */
export interface RenderedBody {
  article: NormalisedArticle
  /** `linkKey`s of the article's links. */
  linkTargets: string[]
  /** Those of `linkTargets` that pointed at mirrored posts, and where. */
  localLinks: [string, string][]
  /** What the rules removed, so a build from the cache reports the same. */
  removals: Removals
  /** The image URLs the page shows (the archive captures them). */
  images: string[]
}

export interface CachedFile {
  key: string
  post: PostFrontMatter
  /** Absent for drafts, which are never rendered. */
  body?: RenderedBody
}

/** The build: a previous build's state (build-state.ts) is only reused by the same build code. */
const SITE_MODULE = join(import.meta.dirname, 'site.ts')

const versions = new Map<string, string>()

/** Hash of the dependencies and of the modules (with what they import) that decide an output. */
function versionOf(modules: string[]): string {
  const id = modules.join('\0')
  const known = versions.get(id)
  if (known) return known
  const hash = createHash('sha256').update(readFileSync(join(PROJECT, 'package-lock.json')))
  for (const file of [...localImports(modules)].sort())
    hash.update(`${relative(PROJECT, file)}\0`).update(readFileSync(file))
  const version = hash.digest('hex').slice(0, 16)
  versions.set(id, version)
  return version
}

/** What a content file builds to: the cache's version. */
function codeVersion(): string {
  return versionOf(ENTRY_MODULES)
}

/** The whole build's version (any change to the build code), which a previous build's state must match. */
export function stateVersion(): string {
  return versionOf([SITE_MODULE])
}

/** The modules and every module of this project they import, transitively (relative imports only). */
function localImports(modules: string[]): Set<string> {
  const found = new Set<string>()
  const pending = [...modules]
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (found.has(file)) continue
    found.add(file)
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+'(\.\.?\/[^']+)'/g))
      pending.push(join(dirname(file), specifier))
  }
  return found
}

/** Cache key of a content file: its name (slug and messages depend on it) and its bytes. */
export function fileKey(file: string, bytes: Uint8Array): string {
  return createHash('sha256').update(`${file}\0`).update(bytes).digest('hex')
}

export class BuildCache {
  private readonly records = new Map<string, CachedFile>()
  private readonly used = new Set<string>()
  private readonly added: CachedFile[] = []
  /** Records in the file, counting stale and repeated ones. */
  private stored = 0
  private readonly path: string | undefined

  private constructor(path: string | undefined) {
    this.path = path
  }

  /** Loads this code version's cache from `dir` (and removes other versions' cache files); `undefined` is a cache that keeps nothing. */
  static open(dir: string | undefined): BuildCache {
    if (!dir) return new BuildCache(undefined)
    const name = `files-${codeVersion()}.bin`
    const cache = new BuildCache(join(dir, name))
    try {
      for (const other of readdirSync(dir))
        if (other !== name && other.startsWith('files-')) rmSync(join(dir, other), { recursive: true, force: true })
      const data = readFileSync(join(dir, name))
      for (let at = 0; at + 4 <= data.length; ) {
        const length = data.readUInt32LE(at)
        if (at + 4 + length > data.length) break // torn write: the rest is rebuilt
        const record = deserialize(data.subarray(at + 4, at + 4 + length)) as CachedFile
        cache.records.set(record.key, record)
        cache.stored++
        at += 4 + length
      }
    } catch {
      // no cache yet, or an unreadable one
    }
    return cache
  }

  get(key: string): CachedFile | undefined {
    const record = this.records.get(key)
    if (record) this.used.add(key)
    return record
  }

  set(record: CachedFile): void {
    this.records.set(record.key, record)
    this.used.add(record.key)
    this.added.push(record)
  }

  /** Appends the new records; rewrites the file with only this build's records when most of it is stale. */
  save(): void {
    if (!this.path || this.added.length === 0) return
    try {
      mkdirSync(join(this.path, '..'), { recursive: true })
      if (this.stored + this.added.length > 2 * this.used.size) {
        const temporary = `${this.path}.${process.pid}.tmp`
        writeFileSync(temporary, encode([...this.used].map((key) => this.records.get(key) as CachedFile)))
        renameSync(temporary, this.path)
      } else appendFileSync(this.path, encode(this.added))
    } catch {
      // a read-only or full disk only costs the next build time
    }
  }
}

function encode(records: CachedFile[]): Buffer {
  const parts: Buffer[] = []
  for (const record of records) {
    const value = serialize(record)
    const length = Buffer.alloc(4)
    length.writeUInt32LE(value.length)
    parts.push(length, value)
  }
  return Buffer.concat(parts)
}
