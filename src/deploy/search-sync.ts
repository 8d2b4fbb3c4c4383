import {
  assignIds,
  deleteStatement,
  INDEX_HASH_SQL,
  INDEXED_SQL,
  type IndexedRow,
  indexHashStatement,
  type SearchDoc,
  writeStatements,
} from '../shared/search-index.ts'
import { defaultRetry, type RetryPolicy, withRetry } from './retry.ts'
import type { SearchDb } from './search-db.ts'

/** Posts per D1 batch: one transaction of four statements each, well inside D1's limits for the largest post. */
const POSTS_PER_BATCH = 20
/** Deletes per batch. */
const DELETES_PER_BATCH = 100

/** What the index must change: D1 itself records what is indexed (a row hash per slug). */
export interface SearchPlan {
  /** Slugs whose row is missing or differs. */
  write: string[]
  /** Slugs indexed but no longer published. */
  remove: string[]
  /** Ids of the rows there now. */
  ids: Map<string, number>
  /** The index's hash once these changes are written. */
  hash: string
}

/**
 * Compares what D1 holds with the row hash of every published post (slug → hash),
 * applying migrations first. `hash` is the whole index's (SearchIndexVersion.hash):
 * when D1 records it as written, nothing is read row by row (10,000 rows take
 * a few hundred milliseconds locally, a third of a one-post publish).
 */
export async function planSearch(db: SearchDb, wanted: ReadonlyMap<string, string>, hash: string): Promise<SearchPlan> {
  await db.migrate()
  const [written] = await db.all<{ value: string }>({ sql: INDEX_HASH_SQL, params: [] })
  if (written?.value === hash) return { write: [], remove: [], ids: new Map(), hash }
  const rows = await db.all<IndexedRow>({ sql: INDEXED_SQL, params: [] })
  const hashes = new Map(rows.map((row) => [row.slug, row.hash]))
  return {
    write: [...wanted].filter(([slug, hash]) => hashes.get(slug) !== hash).map(([slug]) => slug),
    remove: rows.filter((row) => !wanted.has(row.slug)).map((row) => row.slug),
    ids: new Map(rows.map((row) => [row.slug, row.id])),
    hash,
  }
}

/**
 * Deletes the rows of removed posts, then writes the changed ones, a batch
 * (one transaction, retried whole) at a time. `docs` gives the rows to write.
 * Returns the number of requests.
 */
export async function applySearch(
  db: SearchDb,
  plan: SearchPlan,
  docs: (slugs: string[]) => Promise<SearchDoc[]>,
  retry: Partial<RetryPolicy> = {},
): Promise<number> {
  const policy = { ...defaultRetry, ...retry }
  let requests = 0
  for (let i = 0; i < plan.remove.length; i += DELETES_PER_BATCH) {
    const batch = plan.remove.slice(i, i + DELETES_PER_BATCH).map(deleteStatement)
    await withRetry('deleting search rows', () => db.batch(batch), policy)
    requests++
  }
  const removed = new Set(plan.remove)
  const kept = new Map([...plan.ids].filter(([slug]) => !removed.has(slug)))
  for (let i = 0; i < plan.write.length; i += POSTS_PER_BATCH) {
    const written = await docs(plan.write.slice(i, i + POSTS_PER_BATCH))
    const ids = assignIds(written, kept)
    for (const [slug, id] of ids) kept.set(slug, id)
    const batch = written.flatMap((doc) => writeStatements(doc, ids.get(doc.slug)!))
    await withRetry('writing search rows', () => db.batch(batch), policy)
    requests++
  }
  await withRetry('recording the search index', () => db.batch([indexHashStatement(plan.hash)]), policy)
  return requests + 1
}
