/**
 * Finding a site's post files. Posts live in `<content>/posts/**` (Jekyll's
 * layout); a folder without a `posts/` child is read as the posts folder
 * itself, so a mirror's `_posts` can be pointed at directly.
 *
 * The content folder is filled by a bot, and a symbolic link in it could point
 * anywhere on the publisher's machine (a post linked to a file outside was
 * published). So a link is followed only to a file inside the content folder,
 * as Jekyll does; a link to anything outside is an error and is never read; a
 * link to a folder is not followed — its posts are read where they are, and a
 * link to a parent would loop — and is named in a warning.
 */
import { closeSync, constants, openSync, readFileSync } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import { PostError, PostWarning } from './post-error.ts'

const POST_NAME = /\.(md|markdown)$/i

/** Is this a file name the build reads as a post? */
export function isPostFileName(name: string): boolean {
  return POST_NAME.test(name)
}

export interface PostFiles {
  /** The posts folder; `files` are relative to it. */
  root: string
  /** Post files, `/`-separated, sorted. */
  files: string[]
  /** Where to read a file that is a link (inside the content folder) from. */
  targets: Map<string, string>
  /** Links out of the content folder, or to nothing; named relative to the content folder. */
  errors: PostError[]
  /** Links to folders, not followed. */
  warnings: PostWarning[]
}

export async function findPostFiles(contentDir: string): Promise<PostFiles> {
  const contentRoot = await realpath(contentDir)
  const nested = join(contentDir, 'posts')
  const root = (await folderInside(nested, contentRoot)) ? nested : contentDir
  const prefix = relative(contentDir, root).split(sep).join('/')
  const found: PostFiles = { root, files: [], targets: new Map(), errors: [], warnings: [] }
  // Posts are named relative to the posts folder, problems relative to the content folder.
  const named = (name: string) => ({ name, shown: prefix ? `${prefix}/${name}` : name })

  const pending = ['']
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    for (const entry of await readdir(join(root, folder), { withFileTypes: true })) {
      const name = folder ? `${folder}/${entry.name}` : entry.name
      if (entry.isDirectory()) pending.push(name)
      else if (entry.isFile() && POST_NAME.test(entry.name)) found.files.push(name)
      else if (entry.isSymbolicLink()) await addLink(found, join(root, name), named(name), contentRoot)
    }
  }
  found.files.sort()
  return found
}

/** A link found in the posts folder: a post to read, or a problem. */
async function addLink(
  found: PostFiles,
  path: string,
  { name, shown }: { name: string; shown: string },
  contentRoot: string,
): Promise<void> {
  const link = await followLink(path, contentRoot)
  const postName = POST_NAME.test(name)
  if (link.kind === 'outside' && (link.folder || postName))
    found.errors.push(
      new PostError(shown, `is a symbolic link to ${link.target}, outside the content folder: not followed`),
    )
  else if (link.kind === 'nowhere' && postName) found.errors.push(new PostError(shown, link.why))
  else if (link.kind === 'folder')
    found.warnings.push(new PostWarning(shown, 'is a symbolic link to a folder: not followed'))
  else if (link.kind === 'file' && postName) {
    found.files.push(name)
    found.targets.set(name, link.target)
  }
}

type Link =
  | { kind: 'file' | 'folder'; target: string }
  | { kind: 'outside'; target: string; folder: boolean }
  | { kind: 'nowhere'; why: string }

async function followLink(path: string, contentRoot: string): Promise<Link> {
  let target: string
  let folder: boolean
  try {
    target = await realpath(path)
    // A target outside is only looked at (a folder or not), never opened.
    folder = await isFolder(target)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'its target does not exist' : `it cannot be followed: ${code}`
    return { kind: 'nowhere', why: `is a symbolic link to nothing (${why})` }
  }
  if (!isInside(target, contentRoot)) return { kind: 'outside', target, folder }
  return { kind: folder ? 'folder' : 'file', target }
}

async function folderInside(path: string, contentRoot: string): Promise<boolean> {
  try {
    const target = await realpath(path)
    return isInside(target, contentRoot) && (await isFolder(target))
  } catch {
    return false
  }
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory()
}

/**
 * Reads a post found by findPostFiles. Its last path component is not followed
 * if it became a link since the folder was listed (the read fails instead).
 */
export function readPostFile(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  try {
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}
