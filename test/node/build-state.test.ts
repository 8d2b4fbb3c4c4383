import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BuildState } from '../../src/builder/build-state.ts'
import { buildSite, type SiteBuild } from '../../src/builder/site.ts'
import { fixturesDir } from '../support/corpus.ts'
import { postSource, validFields } from '../support/posts.ts'
import { smallPosts } from './deploy-fixtures.ts'

/** A post of the test site, dated `day` of January 2030 (after every corpus post). */
function post(title: string, day: number, extra: Record<string, string> = {}, body = `<p>${title}.</p>\n`): string {
  return postSource(
    { ...validFields, title: `"${title}"`, date: `2030-01-${String(day).padStart(2, '0')}T00:00:00.000Z`, ...extra },
    body,
  )
}

const entriesOf = (site: SiteBuild) => new Map(site.entries.map((e) => [e.key, e.value]))

/**
 * A site edited step by step. After each edit it builds twice — in full (no
 * cache, no state) and from the previous step's state (no cache) — and holds
 * the incremental build to the full one: the same KV values once the reused
 * keys keep their stored values, the same manifest and the same next state.
 */
class EditedSite {
  readonly dir = mkdtempSync(join(tmpdir(), 'build-state-'))
  readonly posts = join(this.dir, 'posts')
  /** What KV holds after the last step: the full build's entries. */
  values = new Map<string, string>()
  state: BuildState | undefined

  constructor(corpusPosts: string[], own: Record<string, string>) {
    cpSync(fixturesDir, this.posts, {
      recursive: true,
      filter: (p) => p === fixturesDir || corpusPosts.some((n) => p.endsWith(n)),
    })
    for (const [name, text] of Object.entries(own)) this.write(name, text)
  }

  write(name: string, text: string): void {
    writeFileSync(join(this.posts, name), text)
  }

  remove(name: string): void {
    rmSync(join(this.posts, name))
  }

  /** Builds both ways, checks they agree, and returns the files the incremental build rendered. */
  async step(): Promise<string[]> {
    const full = await buildSite(this.dir, { cacheDir: false, threads: 1 })
    const incremental = await buildSite(this.dir, { cacheDir: false, threads: 1, previous: this.state })
    expect(full.errors).toEqual([])
    expect(incremental.errors).toEqual([])
    const applied = entriesOf(incremental)
    for (const key of incremental.unchanged) {
      expect(applied.has(key)).toBe(false)
      expect(this.values.has(key)).toBe(true)
      applied.set(key, this.values.get(key) as string)
    }
    expect(Object.fromEntries([...applied].sort())).toEqual(Object.fromEntries([...entriesOf(full)].sort()))
    expect(incremental.manifest).toEqual(full.manifest)
    expect(incremental.state).toEqual(full.state)
    this.values = entriesOf(full)
    this.state = incremental.state
    return incremental.rendered.map((file) => file.replace(/^posts\//, '')).sort()
  }
}

describe('build from a previous state, without the build cache', () => {
  it('renders only what changed and produces what a full build produces, edit after edit', async () => {
    const corpus = smallPosts(4)
    const site = new EditedSite(corpus, {
      '2030-01-02-linker.md': post('Linker', 2, {}, '<p><a href="https://example.com/target/">the target</a></p>\n'),
      '2030-01-04-middle.md': post('Middle', 4),
      '2030-01-06-newest.md': post('Newest', 6),
    })
    expect((await site.step()).length).toBe(7) // no state yet: everything

    // Nothing changed: nothing rendered, every post reused.
    expect(await site.step()).toEqual([])

    // A new newest post: it, and the post before it (its "newer" link).
    site.write('2030-01-08-added.md', post('Added', 8))
    expect(await site.step()).toEqual(['2030-01-06-newest.md', '2030-01-08-added.md'])

    // A body edit: only that post (neighbours link by title and URL).
    site.write('2030-01-04-middle.md', post('Middle', 4, {}, '<p>Middle, corrected.</p>\n'))
    expect(await site.step()).toEqual(['2030-01-04-middle.md'])

    // A title edit: that post and both neighbours.
    site.write('2030-01-04-middle.md', post('Middle retitled', 4, {}, '<p>Middle, corrected.</p>\n'))
    expect(await site.step()).toEqual(['2030-01-02-linker.md', '2030-01-04-middle.md', '2030-01-06-newest.md'])

    // A deletion: the neighbours on both sides.
    site.remove('2030-01-04-middle.md')
    expect(await site.step()).toEqual(['2030-01-02-linker.md', '2030-01-06-newest.md'])

    // The mirrored article the linker links to arrives (far from the linker in time): the linker
    // now links to its copy here. It moves (new slug): the linker follows. It goes: the linker links out again.
    const linker = () => site.values.get([...site.values.keys()].find((k) => k.includes('linker')) as string)
    site.write('2030-01-20-target.md', post('Target', 20, { from: 'https://example.com/target' }))
    expect(await site.step()).toEqual(['2030-01-02-linker.md', '2030-01-08-added.md', '2030-01-20-target.md'])
    expect(linker()).toContain('/2030/01/20/target/')
    site.write('2030-01-20-target.md', post('Target', 20, { from: 'https://example.com/target', slug: 'moved' }))
    expect(await site.step()).toEqual(['2030-01-02-linker.md', '2030-01-08-added.md', '2030-01-20-target.md'])
    expect(linker()).toContain('/2030/01/20/moved/')
    site.remove('2030-01-20-target.md')
    expect(await site.step()).toEqual(['2030-01-02-linker.md', '2030-01-08-added.md'])
    expect(linker()).toContain('https://example.com/target/')

    // A post that takes an existing post's slug (its file name sorts first): the existing one gets a suffix.
    site.write('2030-01-08-Added.md', post('Added too', 8))
    const collided = await site.step()
    expect(collided).toEqual(expect.arrayContaining(['2030-01-08-Added.md', '2030-01-08-added.md']))
    expect(collided.length).toBeLessThanOrEqual(4)
  })

  it('builds from a state written by another checkout, and ignores a state of other build code', async () => {
    const site = new EditedSite(smallPosts(3), { '2030-01-02-own.md': post('Own', 2) })
    await site.step()
    const elsewhere = mkdtempSync(join(tmpdir(), 'other-checkout-'))
    renameSync(site.dir, join(elsewhere, 'content'))
    const moved = await buildSite(join(elsewhere, 'content'), { cacheDir: false, previous: site.state })
    expect(moved.rendered).toEqual([])
    expect(moved.unchanged.filter((key) => key.startsWith('post:')).length).toBe(4)
    expect(moved.entries.filter((e) => e.key.startsWith('post:'))).toEqual([])

    const stale = await buildSite(join(elsewhere, 'content'), {
      cacheDir: false,
      previous: { ...(site.state as BuildState), version: 'other code' },
    })
    expect(stale.rendered.length).toBe(4)
    expect(stale.unchanged).toEqual([])
  })
})
