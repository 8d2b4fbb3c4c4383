import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'parse5'
import { describe, expect, it } from 'vitest'
import { buildSite } from '../../src/builder/site.ts'
import { fixturesDir, postFiles, siteWith } from '../support/corpus.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'

const cacheDir = () => mkdtempSync(join(tmpdir(), 'build-cache-'))

/** The hrefs of a stored post's body, as a browser parses it. */
function hrefs(html: string): string[] {
  const found: string[] = []
  const walk = (node: { attrs?: { name: string; value: string }[]; childNodes?: unknown[] }) => {
    for (const attr of node.attrs ?? []) if (attr.name === 'href') found.push(attr.value)
    for (const child of node.childNodes ?? []) walk(child as typeof node)
  }
  walk(parse(html) as unknown as Parameters<typeof walk>[0])
  return found
}

describe('build: threads and cache', () => {
  it('renders the test site to byte-identical KV entries inline, in worker threads, and from the cache', async () => {
    const dir = siteWith(fixturesDir)
    const inline = await buildSite(dir, { threads: 1, cacheDir: false })
    const threaded = await buildSite(dir, { threads: 2, cacheDir: false })
    const cache = cacheDir()
    await buildSite(dir, { threads: 2, cacheDir: cache })
    const cached = await buildSite(dir, { threads: 1, cacheDir: cache })
    expect(inline.errors).toEqual([])
    expect(inline.posts.length).toBeGreaterThan(postFiles(fixturesDir).length)
    const values = new Map(inline.entries.map((e) => [e.key, e.value]))
    for (const { slug, bytes, hash } of inline.manifest) {
      const value = values.get(`post:${slug}`) ?? ''
      expect(Buffer.byteLength(value)).toBe(bytes)
      expect(JSON.parse(value).hash).toBe(hash)
    }
    expect(threaded.entries).toEqual(inline.entries)
    expect(threaded.manifest).toEqual(inline.manifest)
    expect(cached.entries).toEqual(inline.entries)
    expect(cached.manifest).toEqual(inline.manifest)
    // What rules removed is reported the same whichever way a body was made.
    expect(inline.removals.length).toBeGreaterThan(postFiles(fixturesDir).length / 2)
    expect(threaded.removals).toEqual(inline.removals)
    expect(cached.removals).toEqual(inline.removals)
  })

  it('re-renders a cached body when the mirrored post one of its links points at appears, changes URL or goes', async () => {
    const linking = postSource(
      { ...validFields, title: 'Linking', from: 'https://example.com/linking' },
      '<p><a href="https://example.com/target">the target</a></p>\n',
    )
    const target = (title: string) => postSource({ ...validFields, title, from: 'https://example.com/target' })
    const dir = contentFolder({ '2022-01-01-linking.md': linking })
    const cache = cacheDir()
    const linkOf = async () => {
      const site = await buildSite(dir, { cacheDir: cache })
      expect(site.errors).toEqual([])
      return hrefs(site.posts.find((p) => p.title === 'Linking')?.html ?? '')
    }

    expect(await linkOf()).toEqual(['https://example.com/target'])
    writeFileSync(join(dir, 'posts', '2022-01-02-target.md'), target('Target'))
    expect(await linkOf()).toEqual(['/2022/01/02/target/'])
    writeFileSync(
      join(dir, 'posts', '2022-01-02-target.md'),
      postSource({ ...validFields, title: 'Target', slug: 'moved', from: 'https://example.com/target' }),
    )
    expect(await linkOf()).toEqual(['/2022/01/02/moved/'])
  })

  it('reports bad posts the same way when their neighbours come from the cache', async () => {
    const dir = contentFolder({ '2022-01-01-ok.md': postSource(validFields) })
    const cache = cacheDir()
    await buildSite(dir, { cacheDir: cache })
    writeFileSync(join(dir, 'posts', '2022-01-02-bad-date.md'), postSource({ ...validFields, date: 'yesterday' }))
    const site = await buildSite(dir, { cacheDir: cache })
    expect(site.errors.map(String)).toEqual([
      expect.stringMatching(/2022-01-02-bad-date\.md:4: invalid date: yesterday$/),
    ])
    expect(site.posts.map((p) => p.title)).toEqual(['A valid post'])
  })

  it('reports recovered posts’ warnings the same way from the cache', async () => {
    const dir = contentFolder({ '2022-01-03-no-title.md': postSource({ ...validFields, title: '""' }) })
    const cache = cacheDir()
    const cold = await buildSite(dir, { cacheDir: cache })
    expect(cold.warnings.map(String)).toEqual([
      expect.stringMatching(/2022-01-03-no-title\.md:3: empty title; published as/),
    ])
    expect((await buildSite(dir, { cacheDir: cache })).warnings.map(String)).toEqual(cold.warnings.map(String))
  })
})
