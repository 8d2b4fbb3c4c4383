import { copyFile, mkdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { findPostFiles } from '../src/builder/post-files.ts'
import { runCommand } from './command.ts'

/** The shared corpus (read-only, beside the project) and the user's seed post in content/. */
export const CORPUS_DIR = resolve('../shared/corpus/posts')
export const SEED_DIR = resolve('content/posts')

/** One row of the printed table. */
export interface Row {
  section: string
  measure: string
  result: string
  /** The target or a reference, and whether it is met. */
  target?: string
}

export interface SectionResult {
  data: object
  rows: Row[]
}

export interface BenchContext {
  /** Scratch folder of this run, removed at the end. */
  tmp: string
  quick: boolean
  /** Measured repetitions where a repetition is cheap (builds of the corpus, rounds of requests). */
  runs: number
  /** Progress for the person waiting (stderr; stdout carries the table). */
  log(line: string): void
  /** The 10,000-post folder, generated on first use. */
  largeSite(): Promise<PostFolder>
}

export interface PostFolder {
  dir: string
  posts: number
  bytes: number
}

export const LARGE_SITE_POSTS = 10_000

/** Posts and source bytes of a folder, as the build finds them. */
export async function describeFolder(dir: string): Promise<PostFolder> {
  const { root, files } = await findPostFiles(dir)
  let bytes = 0
  for (const file of files) bytes += (await stat(join(root, file))).size
  return { dir, posts: files.length, bytes }
}

/** The corpus and the seed in one folder (a copy in the scratch folder; the corpus stays outside the repo). */
export async function corpusWithSeed(tmp: string): Promise<PostFolder> {
  const dir = join(tmp, 'corpus-and-seed')
  await mkdir(dir, { recursive: true })
  for (const from of [CORPUS_DIR, SEED_DIR]) {
    const { root, files } = await findPostFiles(from)
    for (const file of files) await copyFile(join(root, file), join(dir, file.split('/').pop()!))
  }
  return describeFolder(dir)
}

/** `scripts/generate-posts.ts`: `count` posts made from the corpus, numbered from `first`. */
export async function generatePosts(out: string, count: number, first = 0): Promise<void> {
  await runCommand(process.execPath, [
    'scripts/generate-posts.ts',
    '--from',
    CORPUS_DIR,
    '--count',
    String(count),
    '--first',
    String(first),
    '--out',
    out,
  ])
}
