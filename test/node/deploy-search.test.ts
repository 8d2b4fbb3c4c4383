/**
 * The search index written by `deploy --local` (what `npm start` runs) into a
 * real local D1 through Miniflare: a fresh state gets every post; afterwards
 * only changed posts' rows are touched. What was touched is counted by
 * triggers this test adds to the database, not by deploy's own report.
 */
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalState } from '../../src/deploy/local-state.ts'
import { runDeploy } from '../../src/deploy/run-deploy.ts'
import { LocalSearchDb, RemoteSearchDb } from '../../src/deploy/search-db.ts'
import { applySearch, planSearch } from '../../src/deploy/search-sync.ts'
import { indexTokens } from '../../src/shared/search-text.ts'
import { SiteFolder, smallPosts } from './deploy-fixtures.ts'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
process.env.WRANGLER_SEND_METRICS = 'false'

const [A, B, C, D] = smallPosts(4)
const persistTo = mkdtempSync(join(tmpdir(), 'search-state-'))
const journalDir = mkdtempSync(join(tmpdir(), 'search-journal-'))
const folder = new SiteFolder([A, B, C])

async function deployLocal(): Promise<void> {
  const ok = await runDeploy({
    content: folder.dir,
    out: mkdtempSync(join(tmpdir(), 'search-out-')),
    skipInvalid: false,
    local: true,
    persistTo,
    journalDir,
  })
  expect(ok).toBe(true)
}

/** Runs `use` on the state's SEARCH database, then closes it (deploy must be the only writer). */
async function withDb<T>(use: (db: Awaited<ReturnType<LocalState['d1']>>) => Promise<T>): Promise<T> {
  const state = new LocalState({ persistTo })
  try {
    return await use(await state.d1('SEARCH'))
  } finally {
    await state.dispose()
  }
}

const rows = () =>
  withDb(
    async (db) => (await db.prepare('SELECT slug, id, title, hash FROM search_posts ORDER BY slug').all<Row>()).results,
  )
interface Row {
  slug: string
  id: number
  title: string
  hash: string
}

/** Records every insert into and delete from search_posts from now on. */
const countWrites = () =>
  withDb((db) =>
    db.batch([
      db.prepare('CREATE TABLE IF NOT EXISTS touched (what TEXT, slug TEXT)'),
      db.prepare('DELETE FROM touched'),
      db.prepare(
        "CREATE TRIGGER IF NOT EXISTS count_inserts AFTER INSERT ON search_posts BEGIN INSERT INTO touched VALUES ('insert', new.slug); END",
      ),
      db.prepare(
        "CREATE TRIGGER IF NOT EXISTS count_deletes AFTER DELETE ON search_posts BEGIN INSERT INTO touched VALUES ('delete', old.slug); END",
      ),
    ]),
  )
const touched = () =>
  withDb(
    async (db) => (await db.prepare('SELECT what, slug FROM touched ORDER BY what').all<{ what: string }>()).results,
  )

/** Posts the index finds for the first token of a title (an exact FTS5 term). */
const found = (title: string) =>
  withDb(async (db) => {
    const term = `"${indexTokens(title).split(' ')[0]}"`
    return (await db.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ?1').bind(term).all()).results.length
  })

describe('the search index at deploy --local', () => {
  it('indexes every post of a fresh state, then writes one row for one added post and deletes one for one removed', async () => {
    await deployLocal()
    const first = await rows()
    expect(first).toHaveLength(3)
    const site = await folder.build()
    expect(first.map((r) => r.slug).sort()).toEqual(site.manifest.map((m) => m.slug).sort())
    for (const row of first) expect(await found(row.title), row.title).toBeGreaterThanOrEqual(1)

    await countWrites()
    folder.add(D)
    await deployLocal()
    const added = SiteFolder.postKey(await folder.build(), D).slice('post:'.length)
    expect(await touched()).toEqual([{ what: 'insert', slug: added }])
    const second = await rows()
    expect(second).toHaveLength(4)
    // The others kept their rows: same ids, same hashes.
    expect(second.filter((r) => r.slug !== added)).toEqual(first)

    await countWrites()
    const removed = SiteFolder.postKey(await folder.build(), B).slice('post:'.length)
    const removedTitle = second.find((r) => r.slug === removed)!.title
    const before = await found(removedTitle)
    folder.remove(B)
    await deployLocal()
    expect(await touched()).toEqual([{ what: 'delete', slug: removed }])
    expect((await rows()).map((r) => r.slug)).not.toContain(removed)
    // Its index entries went with it (the trigger of migrations/0001).
    expect(await found(removedTitle)).toBe(before - 1)

    // Nothing changed: nothing touched.
    await countWrites()
    await deployLocal()
    expect(await touched()).toEqual([])

    // An emptied index (a new database) is filled again from the posts in KV, though the build made none of them.
    const indexed = (await rows()).map(({ slug, title, hash }) => ({ slug, title, hash }))
    await withDb((db) => db.batch([db.prepare('DELETE FROM search_posts'), db.prepare('DELETE FROM search_state')]))
    await countWrites()
    await deployLocal()
    expect((await touched()).filter((t) => t.what === 'insert')).toHaveLength(3)
    expect((await rows()).map(({ slug, title, hash }) => ({ slug, title, hash }))).toEqual(indexed)
  }, 300_000)
})

describe("the search index through D1's HTTP API (a local stand-in running the batches on a Miniflare D1)", () => {
  it('writes bound rows, reads what is indexed, and retries a 503', async () => {
    const state = new LocalState({ persistTo: mkdtempSync(join(tmpdir(), 'search-remote-')) })
    const d1 = await state.d1('SEARCH')
    await new LocalSearchDb(state).migrate()
    const bodies: { batch?: { sql: string; params: unknown[] }[]; sql?: string; params?: unknown[] }[] = []
    let failNext = true
    const server = createServer(async (req, res) => {
      let text = ''
      for await (const chunk of req) text += chunk
      const body = JSON.parse(text)
      const answer = (status: number, json: object) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
      if (req.url !== '/accounts/acct/d1/database/db-1/query' || req.headers.authorization !== 'Bearer tok')
        return answer(403, { success: false, errors: [{ message: 'Authentication error' }] })
      if (body.batch && failNext) {
        failNext = false
        return answer(503, { success: false, errors: [{ message: 'overloaded' }] })
      }
      bodies.push(body)
      const statements = body.batch ?? [body]
      const results = await d1.batch(
        statements.map((s: { sql: string; params: unknown[] }) => d1.prepare(s.sql).bind(...s.params)),
      )
      answer(200, { success: true, errors: [], result: results.map((r) => ({ results: r.results, success: true })) })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const env = {
        CLOUDFLARE_API_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        CLOUDFLARE_ACCOUNT_ID: 'acct',
        CLOUDFLARE_API_TOKEN: 'tok',
      }
      // Migrations go through wrangler, tested by wrangler; here the schema is already there.
      const db = new (class extends RemoteSearchDb {
        override async migrate() {}
      })('db-1', 'wrangler.toml', 'SEARCH', env)
      const site = await new SiteFolder([A, B]).build()
      const wanted = new Map(site.search.map((doc) => [doc.slug, doc.hash]))
      const plan = await planSearch(db, wanted, 'v1')
      expect(plan.write.sort()).toEqual([...wanted.keys()].sort())
      const retries: number[] = []
      await applySearch(db, plan, async (slugs) => site.search.filter((d) => slugs.includes(d.slug)), {
        sleep: async () => {},
        onRetry: (_err, attempt) => retries.push(attempt),
      })
      expect(retries).toEqual([1])
      // Post text travels only as bound values.
      const written = bodies.flatMap((b) => b.batch ?? [])
      expect(written.length).toBe(9)
      for (const doc of site.search) expect(written.some((s) => s.sql.includes(doc.title))).toBe(false)
      const indexed = (await d1.prepare('SELECT slug, hash FROM search_posts ORDER BY slug').all()).results
      expect(indexed).toEqual([...wanted].sort().map(([slug, hash]) => ({ slug, hash })))
      // Recorded as written: nothing read row by row; under another index hash, read and found current.
      const reads = bodies.length
      expect(await planSearch(db, wanted, 'v1')).toMatchObject({ write: [], remove: [] })
      expect(bodies.length - reads).toBe(1)
      expect(await planSearch(db, wanted, 'v2')).toMatchObject({ write: [], remove: [] })
      expect(bodies.length - reads).toBe(3)
    } finally {
      server.close()
      await state.dispose()
    }
  }, 120_000)
})
