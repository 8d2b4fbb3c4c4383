import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSite } from '../../src/builder/site.ts'
import { previousBuild, readRecorded } from '../../src/deploy/deploy.ts'
import { parseDeployState, valueHash } from '../../src/deploy/deploy-state.ts'
import { Journal } from '../../src/deploy/journal.ts'
import { MemoryStore } from '../../src/deploy/memory-store.ts'
import { runDeploy } from '../../src/deploy/run-deploy.ts'
import { keys } from '../../src/shared/schema.ts'
import { builtSite, deploy, SiteFolder, smallPosts, storedSite } from './deploy-fixtures.ts'

const [A, B, C, D, E, F, G] = smallPosts(7)

/**
 * One machine's deploy, as `npm run deploy` does it: the recorded state is
 * read first, the build starts from it (no build cache, as on a fresh CI
 * runner), and deploy uploads what the build made. Returns the build.
 */
async function deployFrom(dir: string, store: MemoryStore, journalDir = mkdtempSync(join(tmpdir(), 'journal-'))) {
  const journal = new Journal(join(journalDir, 'journal.json'))
  const recorded = await readRecorded({ store, journal })
  let renders = 0
  const site = await buildSite(dir, {
    cacheDir: false,
    threads: 1,
    previous: previousBuild(recorded),
    // Inline, the build reports each body it renders.
    onProgress: (stage) => {
      if (stage === 'rendered') renders++
    },
  })
  expect(site.errors).toEqual([])
  await deploy({ entries: site.entries, unchanged: site.unchanged, build: site.state, store, journal })
  return { site, renders }
}

/** What a full build of the folder writes: the independent truth the store must hold. */
async function fullBuild(dir: string) {
  return builtSite(await buildSite(dir, { cacheDir: false }))
}

const fileNames = (files: string[]) => files.map((f) => f.split('/').pop()).sort()

describe('deploy with no build cache, from the recorded state', () => {
  it('renders only the changed files and their neighbours, and stores what a full build would', async () => {
    const folder = new SiteFolder([A, B, C, D, E, F])
    const store = new MemoryStore()
    const first = await deployFrom(folder.dir, store)
    expect(first.renders).toBe(6)
    expect(parseDeployState(store.values.get(keys.deployState) ?? null)?.build?.files).toBeDefined()

    folder.add(G)
    const added = await deployFrom(folder.dir, store)
    expect(fileNames(added.site.rendered)).toContain(G)
    expect(added.site.rendered.length).toBeLessThanOrEqual(3) // the post and its two neighbours at most
    expect(added.renders).toBe(added.site.rendered.length)
    expect(added.site.entries.filter((e) => e.key.startsWith('post:')).length).toBe(added.site.rendered.length)
    expect(storedSite(store)).toEqual(await fullBuild(folder.dir))

    folder.edit(C, (text) => `${text}\n<p>Correction: a sentence the editor added.</p>\n`)
    folder.remove(E)
    const edited = await deployFrom(folder.dir, store)
    expect(fileNames(edited.site.rendered)).toContain(C)
    expect(edited.site.rendered.length).toBeLessThanOrEqual(3)
    expect(storedSite(store)).toEqual(await fullBuild(folder.dir))

    const again = await deployFrom(folder.dir, store)
    expect(again.site.rendered).toEqual([])
    // Nothing changed: every post and every listing key is the stored one; only the indexes are made
    // (three listing indexes and the search index's version), each the value KV already holds.
    expect(again.site.entries.map((e) => e.key).sort()).toEqual([
      keys.archiveIndex,
      keys.categoryIndex,
      keys.tagIndex,
      keys.searchIndex,
    ])
    expect(again.site.unchanged.filter((key) => key.startsWith('post:')).length).toBe(again.site.manifest.length)
  })

  it('builds on the state another machine recorded: another checkout path, another journal, no cache', async () => {
    const folder = new SiteFolder([A, B, C, D])
    const store = new MemoryStore()
    // The first machine deploys with a warm build cache of its own.
    const site = await buildSite(folder.dir, { cacheDir: mkdtempSync(join(tmpdir(), 'cache-')) })
    const journal = new Journal(join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.json'))
    await deploy({ entries: site.entries, unchanged: site.unchanged, build: site.state, store, journal })

    // A CI runner: a fresh checkout elsewhere, where one more post was committed.
    const runner = join(mkdtempSync(join(tmpdir(), 'runner-')), 'checkout')
    cpSync(folder.dir, runner, { recursive: true })
    writeFileSync(
      join(runner, 'posts', '2031-01-01-from-ci.md'),
      '---\ntitle: From CI\ndate: 2031-01-01\n---\nHello.\n',
    )
    const ci = await deployFrom(runner, store)
    expect(fileNames(ci.site.rendered)).toEqual(fileNames(['2031-01-01-from-ci.md', ci.site.manifest[1].file]))
    expect(storedSite(store)).toEqual(await fullBuild(runner))
  })

  it('does not reuse a post an interrupted run already changed', async () => {
    const folder = new SiteFolder([A, B, C])
    const store = new MemoryStore()
    const { site } = await deployFrom(folder.dir, store)
    const journalDir = mkdtempSync(join(tmpdir(), 'journal-'))
    const journal = new Journal(join(journalDir, 'journal.json'))
    const recorded = await readRecorded({ store, journal })
    const key = keys.post(site.manifest[1].slug)
    await journal.write({ base: recorded.base, landed: { [key]: 'written by a run that stopped' } })
    const previous = previousBuild(await readRecorded({ store, journal }))
    const records = Object.values(previous?.files ?? {})
    expect(records).toHaveLength(3)
    expect(records.filter((r) => r.slug === site.manifest[1].slug).map((r) => r.source)).toEqual([''])
    expect(records.filter((r) => r.source !== '')).toHaveLength(2)
    const rebuilt = await buildSite(folder.dir, { cacheDir: false, previous })
    expect(rebuilt.rendered).toEqual([site.manifest[1].file])
  })

  it('makes every listing again when an interrupted run already rewrote one', async () => {
    const folder = new SiteFolder([A, B, C])
    const store = new MemoryStore()
    await deployFrom(folder.dir, store)
    // A run that stopped after writing the home head (with other posts), and recorded it in its journal.
    const journalDir = mkdtempSync(join(tmpdir(), 'journal-'))
    const journal = new Journal(join(journalDir, 'journal.json'))
    const home = keys.listingHead('home')
    store.values.set(home, '{"written":"by a run that stopped"}')
    const recorded = await readRecorded({ store, journal })
    await journal.write({ base: recorded.base, landed: { [home]: valueHash(store.values.get(home) ?? '') } })
    expect(previousBuild(await readRecorded({ store, journal }))?.listingsStale).toBe(true)

    const resumed = await deployFrom(folder.dir, store, journalDir)
    expect(resumed.site.rendered).toEqual([])
    expect(resumed.site.unchanged.filter((key) => !key.startsWith('post:'))).toEqual([])
    expect(storedSite(store)).toEqual(await fullBuild(folder.dir))
  })
})

describe('deploy --local and a running npm start', () => {
  it('refuses to write a state folder npm start is serving, and says what to do; a stale lock is taken over', async () => {
    const state = mkdtempSync(join(tmpdir(), 'locked-state-'))
    const server = spawn('sleep', ['60'])
    const errors: string[] = []
    const error = console.error
    console.error = (line: string) => errors.push(line)
    try {
      writeFileSync(
        join(state, 'lock.json'),
        JSON.stringify({ pid: server.pid, role: 'serve', url: 'http://127.0.0.1:8787' }),
      )
      const options = { content: new SiteFolder([A]).dir, out: mkdtempSync(join(tmpdir(), 'out-')), skipInvalid: false }
      expect(await runDeploy({ ...options, local: true, persistTo: state })).toBe(false)
      expect(errors.join('\n')).toMatch(
        /npm start \(pid \d+\) is serving .* at http:\/\/127\.0\.0\.1:8787 and publishes .*stop it \(Ctrl-C\)/s,
      )

      server.kill()
      await new Promise((resolve) => server.once('exit', resolve))
      expect(await runDeploy({ ...options, local: true, persistTo: state })).toBe(true)
    } finally {
      console.error = error
      server.kill()
    }
  })
})
