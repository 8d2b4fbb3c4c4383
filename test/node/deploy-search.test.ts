/**
 * The search index written by `deploy --local` (what `npm start` runs) into a
 * real local D1 through Miniflare: a fresh state gets every post; afterwards
 * only changed posts' rows are touched. What was touched is counted by
 * triggers this test adds to the database, not by deploy's own report.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalState } from '../../src/deploy/local-state.ts'
import { runDeploy } from '../../src/deploy/run-deploy.ts'
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
    await withDb((db) => db.prepare('DELETE FROM search_posts').run())
    await countWrites()
    await deployLocal()
    expect((await touched()).filter((t) => t.what === 'insert')).toHaveLength(3)
    expect((await rows()).map(({ slug, title, hash }) => ({ slug, title, hash }))).toEqual(indexed)
  }, 300_000)
})
