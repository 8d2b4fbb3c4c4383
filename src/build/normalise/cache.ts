/**
 * A content-addressed cache of normalised articles, so a rebuild re-parses
 * only the posts that changed. The key covers the input (body, `from`, front
 * matter description and image) and the code: every file of this folder, the
 * allowlist, and the parser versions — any change there empties the cache.
 * Entries live in node_modules/.cache (or NORMALISE_CACHE_DIR); NORMALISE_CACHE=off
 * disables it. Failing to read or write it only costs time.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const CODE = [import.meta.dirname, join(import.meta.dirname, '../../worker/render/policy.ts')]
const PARSERS = ['parse5', 'parse5-htmlparser2-tree-adapter', 'css-select', 'domhandler']
const MODULES = join(import.meta.dirname, '../../../node_modules')
const ROOT = process.env.NORMALISE_CACHE_DIR ?? join(MODULES, '.cache/edge-news-archive/normalise')
const enabled = process.env.NORMALISE_CACHE !== 'off'

let versionDir: string | undefined

/** The folder of this code version's entries; other versions' folders are removed the first time. */
function dir(): string {
  if (versionDir) return versionDir
  const hash = createHash('sha256')
  const files = CODE.flatMap((path) => (path.endsWith('.ts') ? [path] : readdirSync(path, { recursive: true, encoding: 'utf8' }).map((f) => join(path, f))))
  for (const file of files.filter((f) => f.endsWith('.ts')).sort()) hash.update(file.slice(import.meta.dirname.length)).update(readFileSync(file))
  for (const name of PARSERS) hash.update(readFileSync(join(MODULES, name, 'package.json')))
  const version = hash.digest('hex').slice(0, 16)
  versionDir = join(ROOT, version)
  try {
    for (const other of readdirSync(ROOT)) if (other !== version) rmSync(join(ROOT, other), { recursive: true, force: true })
  } catch {
    // no cache yet
  }
  return versionDir
}

export function cacheKey(parts: (string | undefined)[]): string {
  if (!enabled) return ''
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part === undefined ? '\u0001' : `\u0002${part.length}:${part}`)
  return hash.digest('hex')
}

export function readCache<T>(key: string): T | undefined {
  if (!enabled) return undefined
  try {
    return JSON.parse(readFileSync(join(dir(), key.slice(0, 2), `${key}.json`), 'utf8')) as T
  } catch {
    return undefined
  }
}

export function writeCache(key: string, value: unknown): void {
  if (!enabled) return
  try {
    const folder = join(dir(), key.slice(0, 2))
    mkdirSync(folder, { recursive: true })
    const temporary = join(folder, `${key}.${process.pid}.tmp`)
    writeFileSync(temporary, JSON.stringify(value))
    renameSync(temporary, join(folder, `${key}.json`))
  } catch {
    // a read-only or full disk only costs the next build time
  }
}
