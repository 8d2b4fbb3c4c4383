import { join } from 'node:path'
import type { SiteBuild } from '../../src/builder/site.ts'
import { LocalState } from '../../src/deploy/local-state.ts'
import { LocalSearchDb } from '../../src/deploy/search-db.ts'
import { applySearch, planSearch } from '../../src/deploy/search-sync.ts'
import { bundleWorker } from '../bundle.ts'
import type { BenchContext, Row, SectionResult } from '../context.ts'
import { ms } from '../format.ts'
import { summarise } from '../stats.ts'
import { EDGE_CACHE_HEADER } from '../worker/protocol.ts'
import { type LocalWorkerd, startWorkerd } from '../workerd.ts'

/** This section's port (beside the requests section's). */
const PORT = Number(process.env.BENCH_SEARCH_PORT ?? 8808)
/** Common and rare, CJK and English, one character to a phrase, and a query that finds nothing. */
const QUERIES = [
  '香港',
  '审查',
  '习近平',
  '中国 共产党',
  '的',
  '中',
  'police',
  '"hong kong"',
  'censor*',
  'the',
  '香港 police',
  'zzzzqx',
]

/**
 * 6. Search: the corpus indexed into the worker's local D1 with deploy's own
 * code (migrations, then every row), then each query's first results page
 * requested one at a time past the worker's render cache (as on an edge
 * miss), so every request runs the D1 queries and renders the page.
 */
export async function benchSearch(ctx: BenchContext, site: SiteBuild): Promise<SectionResult> {
  const bundle = await bundleWorker('bench/worker/wrangler.toml', join(ctx.tmp, 'search-bundle'))
  // Indexed as `deploy --local` indexes (the local state's writer), then served from that state.
  const state = join(ctx.tmp, 'search-state')
  const local = new LocalState({ persistTo: state })
  let indexSeconds: number
  try {
    const db = new LocalSearchDb(local)
    const started = performance.now()
    // A fresh state: any name for the index will do.
    const plan = await planSearch(db, new Map(site.search.map((doc) => [doc.slug, doc.hash])), 'bench')
    await applySearch(db, plan, async (slugs) => site.search.filter((doc) => slugs.includes(doc.slug)))
    indexSeconds = (performance.now() - started) / 1000
  } finally {
    await local.dispose()
  }
  let worker: LocalWorkerd | undefined
  try {
    worker = await startWorkerd({
      script: bundle.script,
      vars: { IMAGE_PROXY_KEY: 'bench-search-key-0123456789abcdef' },
      // LocalState keeps wrangler's layout, `--persist-to DIR` under DIR/v3.
      persistTo: join(state, 'v3'),
      port: PORT,
    })
    ctx.log(`search: ${site.search.length} posts indexed in ${indexSeconds.toFixed(1)} s, worker at ${worker.url}`)

    const samples = ctx.quick ? 10 : 30
    const results: { query: string; count: string; p50: number; p95: number }[] = []
    for (const query of QUERIES) {
      const url = `${worker.url}/search?${new URLSearchParams({ q: query })}`
      const once = async () => {
        const t0 = performance.now()
        const response = await fetch(url, { headers: { [EDGE_CACHE_HEADER]: 'miss' } })
        const html = await response.text()
        if (response.status !== 200) throw new Error(`${url}: ${response.status}`)
        return { ms: performance.now() - t0, html }
      }
      for (let i = 0; i < 3; i++) await once()
      const times: number[] = []
      let html = ''
      for (let i = 0; i < samples; i++) ({ ms: times[i], html } = await once())
      const count = /role="status">([\d,]+ posts?|No posts)/.exec(html)?.[1] ?? '?'
      const { median, p95 } = summarise(times)
      results.push({ query, count, p50: median, p95 })
    }
    const rows: Row[] = [
      {
        section: 'Search',
        measure: `index ${site.search.length} posts into local D1 (deploy's code)`,
        result: `${indexSeconds.toFixed(1)} s`,
      },
      ...results.map((r) => ({
        section: 'Search',
        measure: `\`${r.query}\` (${r.count}), first page, ${samples} requests`,
        result: `p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms`,
      })),
    ]
    return { data: { posts: site.search.length, indexSeconds, samples, results }, rows }
  } finally {
    await worker?.dispose()
  }
}
