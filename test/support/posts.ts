import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** Front matter + body in the shape the mirror bot writes. */
export function postSource(fields: Record<string, string>, body = '<p>Body text.</p>\n'): string {
  const lines = Object.entries(fields).map(([key, value]) => `${key}: ${value}`)
  return `---\n${lines.join('\n')}\n---\n${body}`
}

export const validFields = {
  layout: 'post',
  title: '"A valid post"',
  date: '2022-11-15T00:45:00.000Z',
  author: 'Someone',
  from: 'https://example.com/a',
  tags: '[ Example ]',
  categories: '[ Example ]',
}

/** A temporary content folder holding `posts/<name>` for each entry (string or raw bytes). */
export function contentFolder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'content-'))
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, 'posts', name)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, content)
  }
  return dir
}
