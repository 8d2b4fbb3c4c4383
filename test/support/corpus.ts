import { cpSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** The read-only material beside the repo (seed post and the 271-post corpus). */
export const sharedDir = resolve(process.env.SHARED_DIR ?? join(import.meta.dirname, '../../../shared'))
export const corpusDir = join(sharedDir, 'corpus/posts')
export const contentDir = resolve(import.meta.dirname, '../../content')

export function corpusFiles(): string[] {
  return readdirSync(corpusDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
}

/** A fresh folder holding this repo's content/posts plus the whole corpus: the site the worker tests serve. */
export function seedAndCorpusDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'))
  cpSync(join(contentDir, 'posts'), join(dir, 'posts'), { recursive: true })
  cpSync(corpusDir, join(dir, 'posts'), { recursive: true })
  return dir
}
