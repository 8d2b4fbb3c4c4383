import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

/** The repo's own example posts (content/posts: the seed and a few corpus posts). */
export const contentDir = join(root, 'content')

/**
 * Real posts the tests always have: a few dozen from the MIT-licensed mirror,
 * chosen to cover every feature of the shared corpus (test/fixtures/README.md).
 */
export const fixturesDir = join(root, 'test/fixtures/posts')

/** The read-only material beside the repo (../shared, or SHARED_DIR): the seed and the 271-post corpus. */
export const sharedDir = resolve(process.env.SHARED_DIR ?? join(root, '../shared'))
export const corpusDir = join(sharedDir, 'corpus/posts')

/** Whether this checkout has the shared corpus beside it; a clone elsewhere does not. */
export const hasSharedCorpus = existsSync(corpusDir)

/**
 * For `describe.skipIf`: true when the shared corpus is absent, and then says
 * so, so that a run without it shows what it did not test and why.
 */
export function withoutSharedCorpus(what: string): boolean {
  if (hasSharedCorpus) return false
  console.log(`skipped: ${what} (no shared corpus at ${corpusDir}; set SHARED_DIR to run it)`)
  return true
}

/** The post files (`*.md`) of a folder, sorted. */
export function postFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
}

/** A fresh content folder holding this repo's content/posts plus the posts of `postDirs`. */
export function siteWith(...postDirs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'))
  for (const posts of [join(contentDir, 'posts'), ...postDirs]) cpSync(posts, join(dir, 'posts'), { recursive: true })
  return dir
}
