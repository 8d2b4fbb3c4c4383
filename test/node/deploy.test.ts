import { existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SiteBuild } from '../../src/builder/site.ts'
import { applyDeploy, type DeployOptions, planDeploy } from '../../src/deploy/deploy.ts'
import { Journal } from '../../src/deploy/journal.ts'
import { MemoryStore } from '../../src/deploy/memory-store.ts'
import { computePlan, type Plan, phaseOf } from '../../src/deploy/plan.ts'
import { purgeThroughWorker } from '../../src/deploy/purge-cache.ts'
import { DeployError } from '../../src/deploy/store.ts'
import { cacheTag, cacheTagsFor } from '../../src/shared/cache-tags.ts'
import type { KvEntry } from '../../src/shared/schema.ts'
import { keys } from '../../src/shared/schema.ts'
import { builtSite, deploy, postUrls, reachability, SiteFolder, smallPosts, storedSite } from './deploy-fixtures.ts'

const [A, B, C, D, E, F, G] = smallPosts(7)
const FIRST_SIX = [A, B, C, D, E, F]

function newJournal(): Journal {
  return new Journal(join(mkdtempSync(join(tmpdir(), 'deploy-journal-')), 'journal.json'))
}

/** Deploy options that never wait between retries and remember the waits asked for. */
function optionsFor(store: MemoryStore, site: SiteBuild, journal: Journal, extra: Partial<DeployOptions> = {}) {
  const waits: number[] = []
  const options: DeployOptions = {
    entries: site.entries,
    store,
    journal,
    retry: { sleep: async (ms) => void waits.push(ms) },
    ...extra,
  }
  return { options, waits }
}

/** A deployed six-post site, and its folder to edit for the next build. */
async function deployedSite(store = new MemoryStore()) {
  const folder = new SiteFolder(FIRST_SIX)
  const v1 = await folder.build()
  const journal = newJournal()
  await deploy(optionsFor(store, v1, journal).options)
  expect(storedSite(store)).toEqual(builtSite(v1))
  return { folder, v1, store, journal }
}

function stepKeys(plan: Plan, phase: string, action: string): string[] {
  return plan.steps.find((s) => s.phase === phase && s.action === action)?.keys.map((k) => k.key) ?? []
}

function renamed(name: string): string {
  return `${name.slice(0, 11)}renamed by the editor.md`
}

describe('deploy plan', () => {
  it('orders steps so that what is linked to is written first and deleted last', () => {
    const built = [
      { key: 'post:new', hash: 'n1', bytes: 10 },
      { key: 'post:edited', hash: 'e2', bytes: 20 },
      { key: 'post:same', hash: 's1', bytes: 30 },
      { key: 'list:home', hash: 'h2', bytes: 40 },
      { key: 'list:page:2', hash: 'p1', bytes: 50 },
    ]
    const recorded = new Map([
      ['post:edited', 'e1'],
      ['post:same', 's1'],
      ['post:gone', 'g1'],
      ['list:home', 'h1'],
      ['list:tag:gone', 't1'],
    ])
    const plan = computePlan(built, recorded, recorded)
    expect(plan.steps.map((s) => [s.phase, s.action, s.keys.map((k) => k.key)])).toEqual([
      ['content', 'add', ['post:new']],
      ['content', 'change', ['post:edited']],
      ['listings', 'add', ['list:page:2']],
      ['listings', 'change', ['list:home']],
      ['listings', 'delete', ['list:tag:gone']],
      ['content', 'delete', ['post:gone']],
    ])
    expect(plan).toMatchObject({ puts: 4, deletes: 2, bytes: 120, unchanged: 1, resumed: 0 })
    expect(plan.next).toEqual({
      'post:new': 'n1',
      'post:edited': 'e2',
      'post:same': 's1',
      'list:home': 'h2',
      'list:page:2': 'p1',
    })
    expect(new Set(plan.changed)).toEqual(
      new Set(['post:new', 'post:edited', 'list:home', 'list:page:2', 'post:gone', 'list:tag:gone']),
    )

    // An interrupted run already wrote post:new and deleted post:gone: only the rest is left to do.
    const current = new Map(recorded)
    current.set('post:new', 'n1')
    current.delete('post:gone')
    const resumed = computePlan(built, recorded, current)
    expect(resumed).toMatchObject({ puts: 3, deletes: 1, resumed: 2 })
    expect(resumed.changed).toEqual(plan.changed)
  })

  it('refuses a build that writes the key deploy keeps its state in', () => {
    expect(() => computePlan([{ key: keys.deployState, hash: 'x', bytes: 1 }], new Map(), new Map())).toThrow(
      /reserves/,
    )
  })

  it('adds a new post and the listings it appears in, and nothing else', async () => {
    const { folder, store, journal } = await deployedSite()
    folder.add(G)
    const v2 = await folder.build()
    const { options } = optionsFor(store, v2, journal)
    const prepared = await planDeploy(options)
    expect(stepKeys(prepared.plan, 'content', 'add')).toEqual([SiteFolder.postKey(v2, G)])
    expect(prepared.plan.deletes).toBe(0)
    expect(stepKeys(prepared.plan, 'listings', 'change').length).toBeGreaterThan(0)
    expect(prepared.plan.unchanged).toBeGreaterThan(0)

    await applyDeploy(prepared, options)
    expect(storedSite(store)).toEqual(builtSite(v2))
    expect((await planDeploy(options)).plan.upToDate).toBe(true)
  })

  it('rewrites an edited post and adds or deletes nothing', async () => {
    const { folder, store, journal } = await deployedSite()
    folder.edit(C, (text) => `${text}\n<p>Correction: a sentence the editor added.</p>\n`)
    const v2 = await folder.build()
    const { options } = optionsFor(store, v2, journal)
    const { plan } = await deploy(options)
    expect(stepKeys(plan, 'content', 'change')).toEqual([SiteFolder.postKey(v2, C)])
    expect(stepKeys(plan, 'content', 'add')).toEqual([])
    expect(plan.deletes).toBe(0)
    expect(storedSite(store)).toEqual(builtSite(v2))
  })

  it('deletes a removed post and writes no content for it', async () => {
    const { folder, v1, store, journal } = await deployedSite()
    folder.remove(B)
    const v2 = await folder.build()
    const { plan } = await deploy(optionsFor(store, v2, journal).options)
    const removed = SiteFolder.postKey(v1, B)
    expect(stepKeys(plan, 'content', 'delete')).toEqual([removed])
    expect(stepKeys(plan, 'content', 'add')).toEqual([])
    expect(plan.steps.filter((s) => s.action !== 'delete').flatMap((s) => s.keys.map((k) => k.key))).not.toContain(
      removed,
    )
    expect(storedSite(store)).toEqual(builtSite(v2))
  })

  it('treats a renamed post as a new key and a deleted one', async () => {
    const { folder, v1, store, journal } = await deployedSite()
    folder.rename(D, renamed(D))
    const v2 = await folder.build()
    const { plan } = await deploy(optionsFor(store, v2, journal).options)
    expect(stepKeys(plan, 'content', 'add')).toEqual([SiteFolder.postKey(v2, renamed(D))])
    expect(stepKeys(plan, 'content', 'delete')).toEqual([SiteFolder.postKey(v1, D)])
    expect(storedSite(store)).toEqual(builtSite(v2))
  })

  it('plans (--dry-run) without writing to KV or the journal', async () => {
    const { folder, store, journal } = await deployedSite()
    folder.add(G)
    folder.remove(A)
    const before = new Map(store.values)
    const { plan } = await planDeploy(optionsFor(store, await folder.build(), journal).options)
    expect(plan).toMatchObject({ upToDate: false, deletes: expect.any(Number) })
    expect(plan.puts).toBeGreaterThan(0)
    expect(store.values).toEqual(before)
    expect(existsSync(journal.path)).toBe(false)
  })

  it('does nothing, not even a request, when nothing changed', async () => {
    const { v1, store, journal } = await deployedSite()
    const result = await deploy(optionsFor(store, v1, journal).options)
    expect(result.plan.upToDate).toBe(true)
    expect(result.requests).toBe(0)
  })

  it('deletes what an earlier, unrecorded load left in KV (another CONTENT_DIR)', async () => {
    const other = await new SiteFolder([E, F, G]).build()
    const store = new MemoryStore()
    await store.put(other.entries as KvEntry[])
    const v1 = await new SiteFolder([A, B, C]).build()
    const { plan } = await deploy(optionsFor(store, v1, newJournal()).options)
    expect(stepKeys(plan, 'content', 'delete').sort()).toEqual(
      [E, F, G].map((n) => SiteFolder.postKey(other, n)).sort(),
    )
    expect(storedSite(store)).toEqual(builtSite(v1))
  })

  it('stops on an unreadable deploy state, and --reconcile rebuilds it from the keys', async () => {
    const { v1, store, journal } = await deployedSite()
    await store.put([{ key: keys.deployState, value: 'not json' }])
    const { options } = optionsFor(store, v1, journal)
    await expect(planDeploy(options)).rejects.toThrow(/--reconcile/)
    await deploy({ ...options, reconcile: true })
    expect(storedSite(store)).toEqual(builtSite(v1))
    expect((await planDeploy(options)).plan.upToDate).toBe(true)
  })
})

/** Which step a store call belongs to, judged by the store itself from the keys and what it holds. */
type Label =
  | 'put content new'
  | 'put content existing'
  | 'put listings new'
  | 'put listings existing'
  | 'delete listings'
  | 'delete content'
  | 'put state'
const RANK: Label[] = [
  'put content new',
  'put content existing',
  'put listings new',
  'put listings existing',
  'delete listings',
  'delete content',
  'put state',
]

/**
 * A store that applies one key at a time, as KV makes each key visible on its
 * own, and after every single key checks what a reader could reach.
 */
class ReaderCheckingStore extends MemoryStore {
  readonly calls: Label[][] = []
  readonly broken: string[] = []

  private readonly urls: Map<string, string>

  constructor(urls: Map<string, string>) {
    super()
    this.urls = urls
  }

  private label(key: string, verb: 'put' | 'delete'): Label {
    if (key === keys.deployState) return 'put state'
    if (verb === 'delete') return `delete ${phaseOf(key)}`
    return `put ${phaseOf(key)} ${this.values.has(key) ? 'existing' : 'new'}`
  }

  private check(): void {
    this.broken.push(...reachability(this.values, this.urls).broken)
  }

  override async put(entries: KvEntry[]): Promise<void> {
    this.calls.push(entries.map((e) => this.label(e.key, 'put')))
    for (const entry of entries) {
      await super.put([entry])
      this.check()
    }
  }

  override async delete(names: string[]): Promise<void> {
    this.calls.push(names.map((key) => this.label(key, 'delete')))
    for (const key of names) {
      await super.delete([key])
      this.check()
    }
  }
}

describe('deploy order', () => {
  it('never lets a reader reach a post that is not stored, and records the state last', async () => {
    const folder = new SiteFolder(FIRST_SIX)
    const v1 = await folder.build()
    folder.add(G)
    folder.remove(B)
    folder.rename(D, renamed(D))
    folder.edit(C, (text) => `${text}\n<p>Correction.</p>\n`)
    const v2 = await folder.build()

    const store = new ReaderCheckingStore(postUrls(v1, v2))
    const journal = newJournal()
    await deploy(optionsFor(store, v1, journal).options)
    const initial = reachability(store.values, postUrls(v1, v2))
    expect(initial.followed).toBeGreaterThan(FIRST_SIX.length) // the check sees the links it guards
    store.calls.length = 0

    await deploy(optionsFor(store, v2, journal).options)
    expect(store.broken).toEqual([])
    expect(storedSite(store)).toEqual(builtSite(v2))
    // Each call is one step; steps come in rank order; the state comes last.
    for (const call of store.calls) expect(new Set(call).size).toBe(1)
    const ranks = store.calls.map((call) => RANK.indexOf(call[0]))
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    expect(store.calls.at(-1)).toEqual(['put state'])
    expect(store.calls.map((c) => c[0])).toEqual(
      expect.arrayContaining(['put content new', 'put listings existing', 'delete content']),
    )
  })
})

/** A store whose calls fail as told: the network, a rate limit or a server error between deploy and KV. */
class FlakyStore extends MemoryStore {
  failNext: DeployError[] = []
  failWhen: ((entries: KvEntry[]) => DeployError | undefined) | undefined
  putCalls = 0

  override async put(entries: KvEntry[]): Promise<void> {
    this.putCalls++
    const failure = this.failNext.shift() ?? this.failWhen?.(entries)
    if (failure) throw failure
    await super.put(entries)
  }
}

describe('deploy retries', () => {
  it('retries a rate-limited and a failing request with backoff, then succeeds', async () => {
    const store = new FlakyStore()
    const { folder, journal } = await deployedSite(store)
    folder.add(G)
    const v2 = await folder.build()
    store.failNext = [
      new DeployError('429 Too Many Requests', true, 3000),
      new DeployError('503 Service Unavailable', true),
    ]
    const log: string[] = []
    const { options, waits } = optionsFor(store, v2, journal, { log: (line) => log.push(line) })
    await deploy(options)
    expect(waits).toEqual([3000, 2000]) // Retry-After wins over the first 1 s step; then 2 s
    expect(log.filter((l) => l.includes('retry'))).toHaveLength(2)
    expect(storedSite(store)).toEqual(builtSite(v2))
  })

  it('does not retry a permanent failure', async () => {
    const store = new FlakyStore()
    const { folder, journal } = await deployedSite(store)
    folder.add(G)
    const v2 = await folder.build()
    store.failNext = [new DeployError('403 Authentication error', false)]
    const calls = store.putCalls
    await expect(deploy(optionsFor(store, v2, journal).options)).rejects.toThrow(/Authentication error/)
    expect(store.putCalls).toBe(calls + 1)
  })

  it('gives up leaving the site as it was, and the next run resumes where it stopped', async () => {
    const store = new FlakyStore()
    const { folder, v1, journal } = await deployedSite(store)
    const before = new Map(store.values)
    folder.add(G)
    folder.remove(B)
    folder.rename(D, renamed(D))
    const v2 = await folder.build()

    store.failWhen = (entries) =>
      entries.some((e) => phaseOf(e.key) === 'listings') ? new DeployError('502 Bad Gateway', true) : undefined
    const { options, waits } = optionsFor(store, v2, journal)
    const failure = await deploy(options).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(DeployError)
    expect((failure as Error).message).toMatch(/failed 5 times, giving up/)
    expect((failure as Error).message).toMatch(/Run deploy again to resume/)
    expect(waits).toEqual([1000, 2000, 4000, 8000])

    // Every listing and the recorded state are as they were; nothing was deleted.
    for (const [key, value] of before) {
      if (phaseOf(key) === 'listings' || key === keys.deployState) expect(store.values.get(key)).toBe(value)
      expect(store.values.has(key)).toBe(true)
    }
    expect(reachability(store.values, postUrls(v1, v2)).broken).toEqual([])

    store.failWhen = undefined
    const prepared = await planDeploy(options)
    const contentPuts = v2.entries.filter((e) => phaseOf(e.key) === 'content' && before.get(e.key) !== e.value)
    expect(prepared.plan.resumed).toBe(contentPuts.length)
    expect(prepared.plan.steps.filter((s) => s.phase === 'content' && s.action !== 'delete')).toEqual([])
    await applyDeploy(prepared, options)
    expect(storedSite(store)).toEqual(builtSite(v2))
  })
})

describe('deploy cache purge', () => {
  it('purges the tags of what changed once it is live, through the worker, retrying a 503', async () => {
    const events: string[] = []
    const bodies: { path?: string; authorization?: string; body: unknown }[] = []
    const server = createServer((req, res) => {
      let text = ''
      req.on('data', (chunk) => (text += chunk))
      req.on('end', () => {
        bodies.push({ path: req.url, authorization: req.headers.authorization, body: JSON.parse(text) })
        events.push('purge')
        res.writeHead(bodies.length === 1 ? 503 : 204).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    class LoggingStore extends MemoryStore {
      override async put(entries: KvEntry[]) {
        events.push(entries[0].key === keys.deployState ? 'state' : 'put')
        await super.put(entries)
      }
      override async delete(names: string[]) {
        events.push('delete')
        await super.delete(names)
      }
    }
    try {
      const store = new LoggingStore()
      const { folder, v1, journal } = await deployedSite(store)
      folder.add(G)
      folder.remove(B)
      const v2 = await folder.build()
      events.length = 0
      const { plan } = await deploy(
        optionsFor(store, v2, journal, { purge: purgeThroughWorker(site, 'deploy-secret') }).options,
      )

      const tags = cacheTagsFor(plan.changed)
      expect(tags).toEqual(
        expect.arrayContaining([
          cacheTag(SiteFolder.postKey(v2, G)),
          cacheTag(SiteFolder.postKey(v1, B)),
          cacheTag(keys.listingHead('home')),
        ]),
      )
      const sent = { path: '/_cache/purge', authorization: 'Bearer deploy-secret', body: { tags } }
      expect(bodies).toEqual([sent, sent])
      // After every put and delete, before the state is recorded.
      expect(events.slice(-3)).toEqual(['purge', 'purge', 'state'])
      expect(events.indexOf('purge')).toBeGreaterThan(events.lastIndexOf('delete'))
    } finally {
      server.close()
    }
  })
})
