import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { isAbsolute, join, relative, sep } from 'node:path'
import { KV_MAX_VALUE_BYTES, type KvEntry, keys, postPath, SCHEMA_VERSION, type StoredPost } from '../shared/schema.ts'
import { BuildCache, cacheEnabled, DEFAULT_CACHE_DIR, fileKey, type RenderedBody } from './build-cache.ts'
import { listingEntries, overlongTerm, postNeighbours } from './listing-entries.ts'
import { localLinkMap, type NormalisedArticle } from './normalise/index.ts'
import { decodeUtf8, type PostFrontMatter, type PostSource, readPost } from './parse-post.ts'
import { PostError, PostWarning } from './post-error.ts'
import { findPostFiles, readPostFile } from './post-files.ts'
import type { PostRemovals } from './removal-report.ts'
import { sameLocalLinks } from './render-body.ts'
import { POOL_THRESHOLD, RenderPool, renderBodies } from './render-pool.ts'
import { assignUniqueSlugs, type SlugCollision } from './slugs.ts'

/** One row of manifest.json per published post; deploy and other tools rely on these names. */
export interface ManifestEntry {
  file: string
  slug: string
  url: string
  title: string
  date: string
  hash: string
  bytes: number
}

export interface SiteBuild {
  posts: StoredPost[]
  manifest: ManifestEntry[]
  entries: KvEntry[]
  errors: PostError[]
  /** Oddities the build recovered from (a fallback title or date, a link to a folder); those posts are published. */
  warnings: PostWarning[]
  /** Every post from which rules removed text, and how much each rule took. */
  removals: PostRemovals[]
  skipped: { file: string; reason: string }[]
  collisions: SlugCollision[]
}

export interface BuildOptions {
  /** Called as files are read and as bodies are rendered. */
  onProgress?: (stage: 'read' | 'rendered', done: number, total: number) => void
  /** Threads that render bodies (1: inline); default: every core once more than POOL_THRESHOLD files need rendering, else inline. */
  threads?: number
  /** Folder of the build cache, or false for none; default node_modules/.cache (see cache.ts). */
  cacheDir?: string | false
}

/** Paths in messages: relative to the working directory when inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

export async function buildSite(contentDir: string, options: BuildOptions = {}): Promise<SiteBuild> {
  const { root, files, targets, errors: linkErrors, warnings: linkWarnings } = await findPostFiles(contentDir)
  // Posts are named relative to the content folder, so hashes and slug suffixes do not depend on
  // where the build runs; messages name them as the user can open them.
  const prefix = relative(contentDir, root).split(sep).join('/')
  const shown = (file: string) => join(displayPath(contentDir), file)
  const cacheDir = options.cacheDir ?? (cacheEnabled ? DEFAULT_CACHE_DIR : false)
  const cache = BuildCache.open(cacheDir || undefined)
  const errors: PostError[] = [...linkErrors]
  const skipped: SiteBuild['skipped'] = []
  const parsed: ReadFile[] = []
  // Render threads start loading once there is clearly much to render, while files are still read.
  const threads = options.threads ?? availableParallelism()
  const poolAfter = options.threads === undefined ? POOL_THRESHOLD : 0
  let pool: RenderPool | undefined
  let misses = 0

  let done = 0
  for (const name of files) {
    const file = prefix ? `${prefix}/${name}` : name
    try {
      const path = targets.get(name) ?? join(root, name)
      const bytes = readPostFile(path)
      const key = fileKey(file, bytes)
      const cached = cache.get(key)
      const read: ReadFile = cached
        ? { path, key, post: cached.post, cached: cached.body }
        : { path, key, ...split(readPost(file, decodeUtf8(file, bytes))) }
      if (!cached && ++misses > poolAfter && threads > 1) pool ??= new RenderPool(threads)
      if (!cached && read.post.draft) cache.set({ key, post: read.post })
      if (read.post.draft) skipped.push({ file: shown(file), reason: 'draft' })
      else parsed.push(read)
    } catch (err) {
      if (err instanceof PostError) errors.push(err)
      else errors.push(new PostError(file, `cannot be read: ${(err as Error).message}`))
    }
    options.onProgress?.('read', ++done, files.length)
  }

  errors.push(...explicitSlugDuplicates(parsed.map((p) => p.post)))
  const { slugs, collisions } = assignUniqueSlugs(parsed.map(({ post }) => ({ file: post.file, slug: post.slug })))
  const slugOf = (post: PostFrontMatter) => slugs.get(post.file) ?? post.slug
  const localLinks = localLinkMap(parsed.map(({ post }) => ({ from: post.from, url: postPath(slugOf(post)) })))
  try {
    await renderStale(parsed, localLinks, cache, pool, options)
  } finally {
    await pool?.stop()
  }
  cache.save()

  const warnings = parsed.flatMap(({ post }) =>
    post.warnings.map(({ message, line }) => new PostWarning(shown(post.file), message, line)),
  )
  const removals: PostRemovals[] = []
  for (const { post, body } of parsed) {
    const { characters, byRule } = (body as RenderedBody).removals
    if (Object.keys(byRule).length > 0) removals.push({ file: post.file, path: shown(post.file), characters, byRule })
  }

  const kept: { body: Omit<StoredPost, 'hash'>; json: string; bytes: number }[] = []
  for (const { post, body } of parsed) {
    const stored = storedBody(post, slugOf(post), (body as RenderedBody).article)
    const json = JSON.stringify(stored)
    const bytes = Buffer.byteLength(json) + HASH_FIELD_BYTES
    const termProblem = overlongTerm(stored)
    if (bytes > KV_MAX_VALUE_BYTES) {
      errors.push(new PostError(post.file, `stored value is ${bytes} bytes, over KV's limit of ${KV_MAX_VALUE_BYTES}`))
    } else if (termProblem) errors.push(new PostError(post.file, termProblem))
    else kept.push({ body: stored, json, bytes })
  }
  // Article navigation links the published neighbours, so it is added once the set of posts is final.
  const neighbours = postNeighbours(kept.map((k) => k.body))
  const published = kept.map((k) => withNeighbours(k, neighbours.get(k.body.slug) ?? {}))
  published.sort((a, b) => b.post.date.localeCompare(a.post.date) || a.post.slug.localeCompare(b.post.slug))
  const posts = published.map((p) => p.post)

  const manifest = published.map(({ post, bytes }) => manifestEntry(post, bytes))
  const entries: KvEntry[] = [
    ...published.map(({ post, value }) => ({ key: keys.post(post.slug), value })),
    ...listingEntries(posts),
  ]
  const located = errors.map((e) => new PostError(shown(e.file), e.message, e.line))
  located.sort((a, b) => a.file.localeCompare(b.file))
  for (const collision of collisions) collision.files = collision.files.map(shown)
  const linkWarningsShown = linkWarnings.map((w) => new PostWarning(shown(w.file), w.message, w.line))
  return {
    posts,
    manifest,
    entries,
    errors: located,
    warnings: [...linkWarningsShown, ...warnings],
    removals,
    skipped,
    collisions,
  }
}

/** A content file as read: validated front matter, and its Markdown body unless the cache had the file. */
interface ReadFile {
  path: string
  key: string
  post: PostFrontMatter
  markdown?: string
  /** The cached body, until checked against this build's local links. */
  cached?: RenderedBody
  /** The body this build uses. */
  body?: RenderedBody
}

function split({ markdown, ...post }: PostSource): { post: PostFrontMatter; markdown: string } {
  return { post, markdown }
}

/**
 * Gives every post its body: the cached one while its links map to the same
 * local posts, else rendered now (in worker threads when there are many) and cached.
 */
async function renderStale(
  parsed: ReadFile[],
  localLinks: ReadonlyMap<string, string>,
  cache: BuildCache,
  pool: RenderPool | undefined,
  options: BuildOptions,
): Promise<void> {
  const stale: ReadFile[] = []
  for (const read of parsed) {
    if (read.cached && sameLocalLinks(read.cached, localLinks)) read.body = read.cached
    else stale.push(read)
  }
  const inputs = stale.map((read) => ({
    ...read.post,
    markdown: read.markdown ?? readPost(read.post.file, decodeUtf8(read.post.file, readPostFile(read.path))).markdown,
  }))
  const bodies = await renderBodies(inputs, localLinks, pool, (done) =>
    options.onProgress?.('rendered', done, inputs.length),
  )
  for (const [i, read] of stale.entries()) {
    read.body = bodies[i]
    cache.set({ key: read.key, post: read.post, body: bodies[i] })
  }
}

function explicitSlugDuplicates(posts: PostFrontMatter[]): PostError[] {
  const firstFile = new Map<string, string>()
  const errors: PostError[] = []
  for (const post of posts) {
    if (!post.explicitSlug) continue
    const other = firstFile.get(post.slug)
    if (other) errors.push(new PostError(post.file, `duplicate slug "${post.slug}", also used by ${other}`))
    else firstFile.set(post.slug, post.file)
  }
  return errors
}

function storedBody(p: PostFrontMatter, slug: string, article: NormalisedArticle): Omit<StoredPost, 'hash'> {
  const { file, title, date, updated, author, from, tags, categories, comments, description, image, layout } = p
  return {
    schema: SCHEMA_VERSION,
    slug,
    url: postPath(slug),
    file,
    title,
    date,
    updated,
    author,
    from,
    tags,
    categories,
    comments,
    description,
    image,
    layout,
    ...article,
  }
}

/** `,"hash":"<16 hex>"`, which the stored value adds to the body's JSON. */
const HASH_FIELD_BYTES = 26

/**
 * The post with its neighbours and hash, and its KV value, serialised once:
 * the body's JSON is extended in place of being built again.
 */
function withNeighbours(
  { body, json, bytes }: { body: Omit<StoredPost, 'hash'>; json: string; bytes: number },
  links: Pick<StoredPost, 'newer' | 'older'>,
): { post: StoredPost; value: string; bytes: number } {
  const extra = JSON.stringify({ newer: links.newer, older: links.older }).slice(1, -1)
  const hashed = extra ? `${json.slice(0, -1)},${extra}}` : json
  const hash = sha256(hashed).slice(0, 16)
  const value = `${hashed.slice(0, -1)},"hash":"${hash}"}`
  return { post: { ...body, ...links, hash }, value, bytes: bytes + (extra ? Buffer.byteLength(extra) + 1 : 0) }
}

function manifestEntry(post: StoredPost, bytes: number): ManifestEntry {
  return {
    file: post.file,
    slug: post.slug,
    url: post.url,
    title: post.title,
    date: post.date,
    hash: post.hash,
    bytes,
  }
}
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
