/**
 * The search index in D1 (binding SEARCH): what a row holds, how rows are
 * numbered, and every statement deploy and the worker run against the tables
 * that migrations/ creates. Like schema.ts for KV, both sides import this and
 * nothing else names a table or column. Values are always bound, never
 * spliced into SQL. No Workers or Node APIs here.
 */
import { indexTokens } from './search-text.ts'

/** The D1 binding in wrangler.toml. */
export const SEARCH_BINDING = 'SEARCH'

/** What the index holds of one published post. */
export interface SearchDoc {
  slug: string
  /** Path of the post on this site. */
  url: string
  title: string
  /** ISO 8601. */
  date: string
  author?: string
  /** The mirrored article's URL (front matter `from`). */
  source?: string
  /** The text searched, per field: FTS5 ranks a title match above meta, and meta above body. */
  text: SearchText
  /** Changes exactly when anything above does (and when how it is indexed does). */
  hash: string
}

export interface SearchText {
  title: string
  /** Author, tags and categories, one a line. */
  meta: string
  /** The article as plain text, blocks on lines of their own. */
  body: string
}

/**
 * D1 refuses strings, blobs and rows over 2,000,000 bytes (local D1 does not:
 * it accepts 8 MB, so tests cannot catch this). Every bound value stays below this.
 */
export const MAX_VALUE_BYTES = 1_900_000

export type SqlValue = string | number | null

/** One statement and its bound values: for a D1 binding (`prepare(sql).bind(...params)`) or D1's HTTP API. */
export interface SqlStatement {
  sql: string
  params: SqlValue[]
}

/** The hash of the whole index deploy last finished writing (SearchIndexVersion.hash); none before the first. */
export const INDEX_HASH_SQL = "SELECT value FROM search_state WHERE name = 'index'"

/** Records that the index holds the rows of this hash: the last statement of a deploy's writes. */
export function indexHashStatement(hash: string): SqlStatement {
  return { sql: "INSERT OR REPLACE INTO search_state (name, value) VALUES ('index', ?1)", params: [hash] }
}

/** What deploy reads to know what is indexed: one row per post. */
export const INDEXED_SQL = 'SELECT slug, id, hash FROM search_posts'

export interface IndexedRow {
  slug: string
  id: number
  hash: string
}

/** Slots per second in a row id: posts dated in the same second are told apart by their slot. */
const SLOTS = 1024

/**
 * Row ids encode the post's date (seconds × 1024 + a slot), so the index can
 * order equally relevant hits newest first by id, without reading the rows.
 * Exact in a double for the build's years 1000–9999. A slug keeps its id while
 * its date does; new ids take a free slot, starting at one its slug picks.
 */
export function assignIds(
  docs: readonly Pick<SearchDoc, 'slug' | 'date'>[],
  existing: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const taken = new Set(existing.values())
  const ids = new Map<string, number>()
  const pending: Pick<SearchDoc, 'slug' | 'date'>[] = []
  for (const doc of docs) {
    const id = existing.get(doc.slug)
    if (id !== undefined && Math.floor(id / SLOTS) === second(doc.date)) ids.set(doc.slug, id)
    else pending.push(doc)
  }
  for (const doc of pending) {
    const base = second(doc.date) * SLOTS
    const first = slotOf(doc.slug)
    let slot = 0
    while (slot < SLOTS && taken.has(base + ((first + slot) % SLOTS))) slot++
    if (slot === SLOTS) throw new Error(`more than ${SLOTS} posts are dated ${doc.date}: no search row id is free`)
    const id = base + ((first + slot) % SLOTS)
    taken.add(id)
    ids.set(doc.slug, id)
  }
  return ids
}

function second(date: string): number {
  const ms = Date.parse(date)
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000)
}

/** FNV-1a of the slug: where its probe for a free slot starts. */
function slotOf(slug: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < slug.length; i++) hash = Math.imul(hash ^ slug.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % SLOTS
}

/**
 * Writes one post's row, replacing what the slug had (the delete trigger takes
 * its text and index entries along). One D1 batch is one transaction, so a
 * batch of these is idempotent and can be retried as a whole.
 */
export function writeStatements(doc: SearchDoc, id: number): SqlStatement[] {
  return [
    deleteStatement(doc.slug),
    {
      sql: 'INSERT INTO search_posts (id, slug, url, title, author, source, date, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)',
      params: [id, doc.slug, doc.url, doc.title, doc.author ?? null, doc.source ?? null, doc.date, doc.hash],
    },
    { sql: 'INSERT OR REPLACE INTO search_text (id, body) VALUES (?1, ?2)', params: [id, doc.text.body] },
    {
      sql: 'INSERT OR REPLACE INTO search_fts (rowid, title, meta, body) VALUES (?1, ?2, ?3, ?4)',
      params: [id, indexTokens(doc.text.title), indexTokens(doc.text.meta), indexTokens(doc.text.body)],
    },
  ]
}

/** Removes one post's row; the trigger of migrations/0001 removes its text and index entries. */
export function deleteStatement(slug: string): SqlStatement {
  return { sql: 'DELETE FROM search_posts WHERE slug = ?1', params: [slug] }
}

/** bm25 weights of the FTS columns title, meta and body: a title match counts ten times a body match. */
export const COLUMN_WEIGHTS = [10, 5, 1] as const

/** How many posts match an FTS5 expression (?1). */
export const COUNT_SQL = 'SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?1'

/**
 * One page of hits (?1 the expression, ?2 the page size, ?3 the offset): best
 * first, equally good ones newest first (ids encode dates), then only the
 * page's rows are read from the other tables.
 */
export const PAGE_SQL = `SELECT p.id, d.url, d.title, d.author, d.source, d.date, t.body FROM (
  SELECT rowid AS id, bm25(search_fts, ${COLUMN_WEIGHTS.join(', ')}) AS score FROM search_fts
  WHERE search_fts MATCH ?1 ORDER BY score, rowid DESC LIMIT ?2 OFFSET ?3
) AS p CROSS JOIN search_posts AS d ON d.id = p.id CROSS JOIN search_text AS t ON t.id = p.id
ORDER BY p.score, p.id DESC`

/** A row of PAGE_SQL. */
export interface PageRow {
  id: number
  url: string
  title: string
  author: string | null
  source: string | null
  date: string
  body: string
}
