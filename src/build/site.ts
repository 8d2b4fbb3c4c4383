import { createHash } from 'node:crypto'
import { readFile, readdir, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import { KV_MAX_VALUE_BYTES, SCHEMA_VERSION, keys, postPath, type StoredPost } from '../shared/schema.ts'
import { PostError } from './errors.ts'
import { listingEntries, overlongTerm, postNeighbours } from './listings.ts'
import { localLinkMap, normaliseArticle } from './normalise/index.ts'
import { decodeUtf8, parsePost, type ParsedPost } from './parse.ts'
import { assignUniqueSlugs, type SlugCollision } from './slug.ts'

export interface KvEntry {
  key: string
  value: string
}

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
  skipped: { file: string; reason: string }[]
  collisions: SlugCollision[]
}

export interface BuildOptions {
  onProgress?: (done: number, total: number) => void
}

/**
 * Posts live in `<content>/posts/**` (the Jekyll layout); a folder without a
 * `posts/` child is read as the posts folder itself, so a mirror's `_posts`
 * can be pointed at directly.
 */
export async function findPostFiles(contentDir: string): Promise<{ root: string; files: string[] }> {
  const nested = join(contentDir, 'posts')
  const root = (await isDirectory(nested)) ? nested : contentDir
  const files: string[] = []
  for (const name of await readdir(root, { recursive: true })) {
    if (/\.(md|markdown)$/i.test(name)) files.push(name.split(sep).join('/'))
  }
  files.sort()
  return { root, files }
}

/** Paths in messages: relative to the working directory when inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

export async function buildSite(contentDir: string, options: BuildOptions = {}): Promise<SiteBuild> {
  const { root, files } = await findPostFiles(contentDir)
  // Posts are named relative to the content folder, so hashes and slug suffixes do not depend on
  // where the build runs; messages name them as the user can open them.
  const prefix = relative(contentDir, root).split(sep).join('/')
  const shown = (file: string) => join(displayPath(contentDir), file)
  const errors: PostError[] = []
  const skipped: SiteBuild['skipped'] = []
  const parsed: ParsedPost[] = []

  let done = 0
  for (const name of files) {
    const file = prefix ? `${prefix}/${name}` : name
    try {
      const post = parsePost(file, decodeUtf8(file, await readFile(join(root, name))))
      if (post.draft) skipped.push({ file: shown(file), reason: 'draft' })
      else parsed.push(post)
    } catch (err) {
      if (err instanceof PostError) errors.push(err)
      else errors.push(new PostError(file, `cannot be read: ${(err as Error).message}`))
    }
    options.onProgress?.(++done, files.length)
  }

  errors.push(...explicitSlugDuplicates(parsed))
  const { slugs, collisions } = assignUniqueSlugs(parsed.map((p) => ({ file: p.file, slug: p.slug })))

  const posts: StoredPost[] = []
  const localLinks = localLinkMap(parsed.map((p) => ({ from: p.from, url: postPath(slugs.get(p.file) ?? p.slug) })))
  for (const p of parsed) {
    const post = storedPost(p, slugs.get(p.file) ?? p.slug, localLinks)
    const bytes = Buffer.byteLength(JSON.stringify(post))
    const termProblem = overlongTerm(post)
    if (bytes > KV_MAX_VALUE_BYTES) {
      errors.push(new PostError(p.file, `stored value is ${bytes} bytes, over KV's limit of ${KV_MAX_VALUE_BYTES}`))
    } else if (termProblem) errors.push(new PostError(p.file, termProblem))
    else posts.push(post)
  }
  // Article navigation links the published neighbours, so it is added once the set of posts is final.
  const neighbours = postNeighbours(posts)
  for (const [i, { hash: _, ...body }] of posts.entries()) posts[i] = withHash({ ...body, ...neighbours.get(body.slug) })
  posts.sort((a, b) => b.date.localeCompare(a.date) || a.slug.localeCompare(b.slug))

  const manifest = posts.map(manifestEntry)
  const entries: KvEntry[] = [
    ...posts.map((post) => ({ key: keys.post(post.slug), value: JSON.stringify(post) })),
    ...listingEntries(posts),
  ]
  const located = errors.map((e) => new PostError(shown(e.file), e.message, e.line))
  located.sort((a, b) => a.file.localeCompare(b.file))
  for (const collision of collisions) collision.files = collision.files.map(shown)
  return { posts, manifest, entries, errors: located, skipped, collisions }
}

function explicitSlugDuplicates(posts: ParsedPost[]): PostError[] {
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

function storedPost(p: ParsedPost, slug: string, localLinks: ReadonlyMap<string, string>): StoredPost {
  const { file, title, date, updated, author, from, tags, categories, comments, description, image, layout } = p
  const body = {
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
    ...normaliseArticle(p, localLinks),
  }
  return withHash(body)
}

function withHash(body: Omit<StoredPost, 'hash'>): StoredPost {
  return { ...body, hash: sha256(JSON.stringify(body)).slice(0, 16) }
}

function manifestEntry(post: StoredPost): ManifestEntry {
  return {
    file: post.file,
    slug: post.slug,
    url: post.url,
    title: post.title,
    date: post.date,
    hash: post.hash,
    bytes: Buffer.byteLength(JSON.stringify(post)),
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
