import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { isAbsolute, join, relative, sep } from 'node:path'
import { oldestFirst } from '../shared/listings.ts'
import {
  KV_MAX_VALUE_BYTES,
  type KvEntry,
  keys,
  type PostLink,
  postPath,
  SCHEMA_VERSION,
  type StoredPost,
} from '../shared/schema.ts'
import type { SearchDoc } from '../shared/search-index.ts'
import { BuildCache, cacheEnabled, DEFAULT_CACHE_DIR, type RenderedBody, stateVersion } from './build-cache.ts'
import {
  type BuildState,
  type FileRecord,
  imageHash,
  type ListedPost,
  linkHash,
  linkHashes,
  linksAny,
  type PreviousBuild,
  type RecordedPost,
  recordedPost,
} from './build-state.ts'
import { FileStats } from './file-stats.ts'
import { listingEntries, postNeighbours } from './listing-entries.ts'
import { localLinkMap, type NormalisedArticle } from './normalise/index.ts'
import { decodeUtf8, type PostFrontMatter, readPost } from './parse-post.ts'
import { PostError, PostWarning } from './post-error.ts'
import { findPostFiles, readPostFile } from './post-files.ts'
import type { PostRemovals } from './removal-report.ts'
import { sameLocalLinks } from './render-body.ts'
import { POOL_THRESHOLD, RenderPool, renderBodies } from './render-pool.ts'
import { byLocale } from './report-text.ts'
import { searchDoc, searchIndexEntry } from './search-doc.ts'
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
  /** Posts whose stored value this build made, newest first: every post unless `previous` let some be reused. */
  posts: StoredPost[]
  /** Every published post, newest first. */
  manifest: ManifestEntry[]
  /** Every key whose value this build made: those posts, and the listings, indexes and sitemap keys that may have changed. */
  entries: KvEntry[]
  /** The search rows of the posts in `posts` (builder/search-doc.ts); the others' are recorded in `state`. */
  search: SearchDoc[]
  /** Keys whose value is the one stored when `previous` was recorded (posts, listing chunks and heads): not made again. */
  unchanged: string[]
  /** Content files whose bodies this build rendered (not taken from `previous` or the build cache). */
  rendered: string[]
  /** What the next build can start from. */
  state: BuildState
  /** The image URLs of the pages of the posts this build made, by file (the others' are hashed in `state`). */
  images: Map<string, readonly string[]>
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
  /** Folder of the build cache, or false for none; default node_modules/.cache (see build-cache.ts). */
  cacheDir?: string | false
  /**
   * The state an earlier build of this content left (deploy keeps it in KV). Files whose bytes are
   * unchanged are not parsed, and their posts are not rendered unless their value must change (a
   * new slug, a link whose mirrored target appeared, moved or went, a new older/newer neighbour).
   * May be a promise: files are read and hashed meanwhile.
   */
  previous?: PreviousBuild | Promise<PreviousBuild | undefined>
}

/**
 * Loading the build cache (one file of every rendered body) costs about as much as rendering
 * this many bodies at 10,000 posts: below it, a build that starts from a previous state renders.
 */
const CACHE_WORTH_LOADING = 100

/** Paths in messages: relative to the working directory when inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/** A content file by its name relative to the content folder, where it is, and the hash of its name and bytes. */
interface Source {
  file: string
  path: string
  key: string
}

/** A post being built: its front matter, and what its body and value come from. */
interface SitePost extends Source {
  post: RecordedPost & { file: string }
  /** The previous build's record, while this post's value is still the one recorded. */
  record?: FileRecord
  /** Full front matter, once the file is read (or taken from the cache). */
  front?: PostFrontMatter
  markdown?: string
  /** The cached body, until checked against this build's local links. */
  cached?: RenderedBody
  /** The body this build uses. */
  body?: RenderedBody
}

/** A post that passed every check, with its stored body when this build made it. */
interface KeptPost {
  site: SitePost
  listed: ListedPost
  made?: { body: Omit<StoredPost, 'hash'>; json: string; bytes: number }
}

/** A published post: its stored value and search row when this build made it, else its recorded hashes and size. */
interface PublishedPost extends KeptPost {
  stored?: StoredPost
  value?: string
  hash: string
  bytes: number
  search?: SearchDoc
  searchHash: string
}

export async function buildSite(contentDir: string, options: BuildOptions = {}): Promise<SiteBuild> {
  const { root, files, targets, errors: linkErrors, warnings: linkWarnings } = await findPostFiles(contentDir)
  // Posts are named relative to the content folder, so hashes and slug suffixes do not depend on
  // where the build runs; messages name them as the user can open them.
  const prefix = relative(contentDir, root).split(sep).join('/')
  const shown = (file: string) => join(displayPath(contentDir), file)
  const errors: PostError[] = [...linkErrors]
  const skipped: SiteBuild['skipped'] = []

  const cacheDir = options.cacheDir ?? (cacheEnabled ? DEFAULT_CACHE_DIR : false)
  const stats = FileStats.open(cacheDir || undefined)
  const sources: Source[] = []
  let done = 0
  for (const name of files) {
    const file = prefix ? `${prefix}/${name}` : name
    const path = targets.get(name) ?? join(root, name)
    try {
      sources.push({ file, path, key: stats.key(path, file) })
    } catch (err) {
      errors.push(new PostError(file, `cannot be read: ${(err as Error).message}`))
    }
    options.onProgress?.('read', ++done, files.length)
  }
  stats.save()

  const given = await options.previous
  const previous = given?.version === stateVersion() ? given : undefined
  const reusable = (source: Source) => {
    const record = previous?.files[source.file]
    return record?.source === source.key ? record : undefined
  }
  const toRead = previous ? sources.filter((s) => !reusable(s)).length : sources.length
  const cache = BuildCache.open((toRead > CACHE_WORTH_LOADING || !previous) && cacheDir ? cacheDir : undefined)
  // Render threads start loading once there is clearly much to render, while files are still parsed.
  const threads = options.threads ?? availableParallelism()
  const poolAfter = options.threads === undefined ? POOL_THRESHOLD : 0
  let pool: RenderPool | undefined
  let misses = 0

  const parsed: SitePost[] = []
  for (const source of sources) {
    const record = reusable(source)
    if (record) {
      parsed.push({ ...source, post: { ...record.post, file: source.file }, record })
      continue
    }
    try {
      const read = readSource(source, cache)
      if (!read.cached && ++misses > poolAfter && threads > 1) pool ??= new RenderPool(threads)
      const front = read.front as PostFrontMatter
      if (!read.cached && front.draft) cache.set({ key: source.key, post: front })
      if (front.draft) skipped.push({ file: shown(source.file), reason: 'draft' })
      else parsed.push(read)
    } catch (err) {
      if (err instanceof PostError) errors.push(err)
      else errors.push(new PostError(source.file, `cannot be read: ${(err as Error).message}`))
    }
  }

  errors.push(...explicitSlugDuplicates(parsed.map((p) => p.post)))
  const { slugs, collisions } = assignUniqueSlugs(parsed.map(({ post }) => ({ file: post.file, slug: post.slug })))
  const slugOf = (post: { file: string; slug: string }) => slugs.get(post.file) ?? post.slug
  const localLinks = localLinkMap(parsed.map(({ post }) => ({ from: post.from, url: postPath(slugOf(post)) })))
  // A recorded body stays valid while its slug and the local targets of its links do.
  const moved = previous ? changedLinkHashes(previousLinkMap(previous), localLinks) : new Set<string>()
  for (const site of parsed)
    if (site.record && (site.record.slug !== slugOf(site.post) || linksAny(site.record, moved))) reread(site, cache)

  const rendered: string[] = []
  const render = async (posts: SitePost[]) => {
    try {
      rendered.push(...(await renderStale(posts, localLinks, cache, pool, options)))
    } finally {
      await pool?.stop()
      pool = undefined
    }
  }
  await render(parsed)

  const kept: KeptPost[] = []
  for (const site of parsed) {
    if (site.record) {
      kept.push({ site, listed: listedRecord(site.post.file, site.record) })
      continue
    }
    const made = madeBody(site, slugOf(site.post))
    if (made.bytes > KV_MAX_VALUE_BYTES) {
      errors.push(
        new PostError(site.file, `stored value is ${made.bytes} bytes, over KV's limit of ${KV_MAX_VALUE_BYTES}`),
      )
    } else kept.push({ site, listed: made.body, made })
  }
  // Article navigation links the published neighbours, so it is added once the set of posts is final;
  // a recorded post whose neighbours changed is made again (its body is what it was).
  const ordered = kept.map((k) => k.listed).sort(oldestFirst)
  const neighbours = postNeighbours(ordered)
  const orderedBefore =
    previous &&
    Object.entries(previous.files)
      .map(([file, record]) => listedRecord(file, record))
      .sort(oldestFirst)
  if (orderedBefore) {
    const before = postNeighbours(orderedBefore)
    const moving = kept.filter(
      (k) => k.site.record && !sameLinks(neighbours.get(k.listed.slug), before.get(k.listed.slug)),
    )
    for (const k of moving) reread(k.site, cache)
    await render(moving.map((k) => k.site))
    for (const k of moving) k.made = madeBody(k.site, k.listed.slug)
  }
  cache.save()

  const searchCuts: PostWarning[] = []
  const published = kept.map((k): PublishedPost => {
    const { record } = k.site
    if (!k.made) return { ...k, hash: record?.hash ?? '', bytes: record?.bytes ?? 0, searchHash: record?.search ?? '' }
    const made = withNeighbours(k.made, neighbours.get(k.listed.slug) ?? {})
    const { doc, cut } = searchDoc(made.post)
    if (cut !== undefined)
      searchCuts.push(
        new PostWarning(
          shown(k.site.file),
          `search indexes only the first ${cut} characters of its text (D1's 2 MB limit)`,
        ),
      )
    const { post, value, bytes } = made
    return { ...k, stored: post, value, hash: post.hash, bytes, search: doc, searchHash: doc.hash }
  })
  published.sort((a, b) => byLocale(b.listed.date, a.listed.date) || byLocale(a.listed.slug, b.listed.slug))
  const posts = published.flatMap((p) => (p.stored ? [p.stored] : []))
  const manifest = published.map((p) => manifestEntry({ ...p.listed, hash: p.hash }, p.bytes))
  const listings = listingEntries(
    ordered,
    previous && orderedBefore && !previous.listingsStale
      ? { posts: orderedBefore, changed: changedListings(kept, previous) }
      : undefined,
  )
  const entries: KvEntry[] = [
    ...published.flatMap((p) => (p.value === undefined ? [] : [{ key: keys.post(p.listed.slug), value: p.value }])),
    ...listings.entries,
    searchIndexEntry(published.map((p) => [p.listed.slug, p.searchHash])),
  ]
  const unchanged = [
    ...published.flatMap((p) => (p.value === undefined ? [keys.post(p.listed.slug)] : [])),
    ...listings.unchanged,
  ]
  const keptSites = new Set(kept.map((k) => k.site))
  const unpublished = parsed.filter((site) => !keptSites.has(site))
  const state = nextState(published, unpublished, slugOf)

  // A reused post reports what its record kept of the build that made it.
  const warnings = [
    ...linkWarnings.map((w) => new PostWarning(shown(w.file), w.message, w.line)),
    ...parsed.flatMap((site) =>
      (site.front?.warnings ?? site.record?.warnings ?? []).map(
        ({ message, line }) => new PostWarning(shown(site.file), message, line),
      ),
    ),
    ...searchCuts,
  ]
  const removals: PostRemovals[] = parsed.flatMap((site) => {
    const removed = site.body?.removals ?? site.record?.removals
    return removed && Object.keys(removed.byRule).length > 0
      ? [{ ...removed, file: site.file, path: shown(site.file) }]
      : []
  })

  const located = errors.map((e) => new PostError(shown(e.file), e.message, e.line))
  located.sort((a, b) => byLocale(a.file, b.file))
  for (const collision of collisions) collision.files = collision.files.map(shown)
  return {
    posts,
    manifest,
    entries,
    search: published.flatMap((p) => (p.search ? [p.search] : [])),
    unchanged,
    rendered,
    state,
    images: new Map(published.flatMap((p) => (p.site.body ? [[p.site.file, p.site.body.images] as const] : []))),
    errors: located,
    warnings,
    removals,
    skipped,
    collisions,
  }
}

/** The front matter (and cached body, or Markdown) of a file that is not reused from the previous state. */
function readSource(source: Source, cache: BuildCache): SitePost {
  const cached = cache.get(source.key)
  if (cached) return { ...source, post: cached.post, front: cached.post, cached: cached.body }
  const { markdown, ...front } = readPost(source.file, decodeUtf8(source.file, readPostFile(source.path)))
  return { ...source, post: front, front, markdown }
}

/** A recorded post whose value must be made again: read its file (its bytes are the recorded ones). */
function reread(site: SitePost, cache: BuildCache): void {
  Object.assign(site, readSource(site, cache), { record: undefined })
}

/**
 * Gives every post without a recorded value its body: the cached one while its links map to the
 * same local posts, else rendered now (in worker threads when there are many) and cached.
 * Returns the files rendered.
 */
async function renderStale(
  posts: SitePost[],
  localLinks: ReadonlyMap<string, string>,
  cache: BuildCache,
  pool: RenderPool | undefined,
  options: BuildOptions,
): Promise<string[]> {
  const stale: SitePost[] = []
  for (const site of posts) {
    if (site.record || site.body) continue
    if (site.cached && sameLocalLinks(site.cached, localLinks)) site.body = site.cached
    else stale.push(site)
  }
  const inputs = stale.map((site) => ({
    ...(site.front as PostFrontMatter),
    markdown: site.markdown ?? readPost(site.file, decodeUtf8(site.file, readPostFile(site.path))).markdown,
  }))
  const bodies = await renderBodies(inputs, localLinks, pool, (done) =>
    options.onProgress?.('rendered', done, inputs.length),
  )
  for (const [i, site] of stale.entries()) {
    site.body = bodies[i]
    cache.set({ key: site.key, post: site.front as PostFrontMatter, body: bodies[i] })
  }
  return stale.map((site) => site.file)
}

/** The local link map the previous build rendered with. */
function previousLinkMap(previous: BuildState): Map<string, string> {
  return localLinkMap([
    ...Object.values(previous.files).map((record) => ({ from: record.post.from, url: postPath(record.slug) })),
    ...previous.unpublishedLinks.map(([from, url]) => ({ from, url })),
  ])
}

/** Link hashes of the link keys whose local target differs between two link maps. */
function changedLinkHashes(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Set<string> {
  const changed = new Set<string>()
  for (const [key, url] of after) if (before.get(key) !== url) changed.add(linkHash(key))
  for (const key of before.keys()) if (!after.has(key)) changed.add(linkHash(key))
  return changed
}

function sameLinks(
  a: Pick<StoredPost, 'newer' | 'older'> | undefined,
  b: Pick<StoredPost, 'newer' | 'older'> | undefined,
): boolean {
  const same = (x?: PostLink, y?: PostLink) => x?.url === y?.url && x?.title === y?.title
  return same(a?.newer, b?.newer) && same(a?.older, b?.older)
}

/** Files whose listed fields differ from their record's: new posts, and posts made again whose title, date, tags… changed. */
function changedListings(kept: KeptPost[], previous: BuildState): Set<string> {
  const changed = new Set<string>()
  for (const { site, listed } of kept) {
    if (site.record) continue
    const record = previous.files[site.file]
    if (!record || !sameListed(listed, listedRecord(site.file, record))) changed.add(site.file)
  }
  return changed
}

function sameListed(a: ListedPost, b: ListedPost): boolean {
  const sameList = (x: string[], y: string[]) => x.length === y.length && x.every((item, i) => item === y[i])
  return (
    a.slug === b.slug &&
    a.url === b.url &&
    a.title === b.title &&
    a.date === b.date &&
    a.updated === b.updated &&
    a.author === b.author &&
    sameList(a.tags, b.tags) &&
    sameList(a.categories, b.categories)
  )
}

function listedRecord(file: string, record: FileRecord): ListedPost {
  const { title, date, updated, author, tags, categories } = record.post
  return { file, slug: record.slug, url: postPath(record.slug), title, date, updated, author, tags, categories }
}

function madeBody(site: SitePost, slug: string): NonNullable<KeptPost['made']> {
  const body = storedBody(site.front as PostFrontMatter, slug, (site.body as RenderedBody).article)
  const json = JSON.stringify(body)
  return { body, json, bytes: Buffer.byteLength(json) + HASH_FIELD_BYTES }
}

/** The state this build leaves: a record per published post, and the local links of posts not published. */
function nextState(
  published: PublishedPost[],
  unpublished: SitePost[],
  slugOf: (post: { file: string; slug: string }) => string,
): BuildState {
  const files: Record<string, FileRecord> = {}
  for (const { site, listed, hash, bytes, searchHash } of [...published].sort((a, b) =>
    a.site.file < b.site.file ? -1 : 1,
  )) {
    files[site.file] = site.record ?? {
      source: site.key,
      post: recordedPost(site.front as PostFrontMatter),
      slug: listed.slug,
      hash,
      bytes,
      links: linkHashes((site.body as RenderedBody).linkTargets),
      ...imagesField((site.body as RenderedBody).images),
      search: searchHash,
      ...recordedReport(site.front as PostFrontMatter, site.body as RenderedBody),
    }
  }
  const unpublishedLinks = unpublished.flatMap(({ post }): [string, string][] =>
    post.from ? [[post.from, postPath(slugOf(post))]] : [],
  )
  return { version: stateVersion(), files, unpublishedLinks }
}

function imagesField(urls: readonly string[]): Pick<FileRecord, 'images'> {
  return urls.length > 0 ? { images: urls.map(imageHash).join('') } : {}
}

/** What a reused post must still report: its recovered oddities and what rules removed from it. */
function recordedReport(front: PostFrontMatter, body: RenderedBody): Pick<FileRecord, 'warnings' | 'removals'> {
  return {
    ...(front.warnings.length > 0 && { warnings: front.warnings }),
    ...(Object.keys(body.removals.byRule).length > 0 && { removals: body.removals }),
  }
}

function explicitSlugDuplicates(posts: Pick<PostFrontMatter, 'file' | 'slug' | 'explicitSlug'>[]): PostError[] {
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

function manifestEntry(post: ListedPost & { hash: string }, bytes: number): ManifestEntry {
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
