import { COUNT_SQL, PAGE_SQL, type PageRow } from '../../shared/search-index.ts'
import { highlight, type Piece, snippet } from './highlight.ts'
import type { Term } from './query.ts'

/** Results on one page. */
export const RESULTS_PER_PAGE = 20
/** The last page anyone may ask for: 10,000 results deep is far enough, and keeps OFFSET bounded. */
export const MAX_PAGE = 500

export interface SearchResult {
  url: string
  title: Piece[]
  date: string
  author?: string
  /** Host of the mirrored article. */
  source?: string
  snippet: Piece[]
}

export interface ResultPage {
  count: number
  pages: number
  results: SearchResult[]
}

/**
 * One page of results: the count and the page's rows in one D1 batch (one
 * round trip), the expression bound as a value. Throws what D1 throws (no such
 * table before the first deploy, D1 unavailable).
 */
export async function readResults(
  db: D1Database,
  expression: string,
  terms: readonly Term[],
  page: number,
): Promise<ResultPage> {
  const [count, rows] = await db.batch<{ n: number } | PageRow>([
    db.prepare(COUNT_SQL).bind(expression),
    db.prepare(PAGE_SQL).bind(expression, RESULTS_PER_PAGE, (page - 1) * RESULTS_PER_PAGE),
  ])
  const n = (count.results[0] as { n: number } | undefined)?.n ?? 0
  return {
    count: n,
    pages: Math.max(1, Math.ceil(n / RESULTS_PER_PAGE)),
    results: (rows.results as PageRow[]).map((row) => ({
      url: row.url,
      title: highlight(terms, row.title),
      date: row.date,
      author: row.author ?? undefined,
      source: hostOf(row.source),
      snippet: snippet(terms, row.body),
    })),
  }
}

function hostOf(url: string | null): string | undefined {
  if (!url) return undefined
  return URL.parse(url)?.hostname.replace(/^www\./, '') || undefined
}
