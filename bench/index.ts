/**
 * `npm run bench -- [--quick] [--runs N] [--only build,render,requests,images,bundle,publish,search] [--keep]`
 *
 * Measures issue 8's five sections, prints a markdown table (stdout; progress
 * goes to stderr) and writes everything to bench/results.json. See
 * docs/benchmarks.md.
 *   --quick  fewer, shorter runs and no 10,000-post parts (build at scale, publish); also BENCH_QUICK=1
 *   --runs   measured runs where runs are cheap (default 5; quick 3)
 *   --only   some sections, comma-separated
 *   --keep   keep the scratch folder (printed) for a look afterwards
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { buildSite } from '../src/builder/site.ts'
import {
  type BenchContext,
  corpusWithSeed,
  describeFolder,
  generatePosts,
  LARGE_SITE_POSTS,
  type PostFolder,
  type Row,
  SEED_DIR,
  type SectionResult,
} from './context.ts'
import { loadPerCore, machine, markdownTable } from './report.ts'
import { benchBuild } from './sections/build.ts'
import { benchBundle } from './sections/bundle.ts'
import { benchImages } from './sections/images.ts'
import { benchPublish } from './sections/publish.ts'
import { benchRender } from './sections/render.ts'
import { benchRequests } from './sections/requests.ts'
import { benchSearch } from './sections/search.ts'

const SECTIONS = ['build', 'render', 'requests', 'images', 'bundle', 'publish', 'search'] as const
type Section = (typeof SECTIONS)[number]

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    runs: { type: 'string' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
const quick = values.quick
const runs = Number(values.runs ?? (quick ? 3 : 5))
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS]
const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s))
if (!Number.isInteger(runs) || runs < 1 || unknown.length > 0) {
  console.error(`usage: npm run bench -- [--quick] [--runs N] [--only ${SECTIONS.join(',')}] [--keep]`)
  process.exit(2)
}

const started = new Date()
const loadAtStart = loadPerCore()
const tmp = await mkdtemp(join(tmpdir(), 'bench-'))
let large: Promise<PostFolder> | undefined
const ctx: BenchContext = {
  tmp,
  quick,
  runs,
  log: (line) => console.error(`[bench] ${line}`),
  largeSite: () =>
    (large ??= (async () => {
      const dir = join(tmp, 'large-site')
      ctx.log(`generating ${LARGE_SITE_POSTS.toLocaleString('en')} posts in ${dir}`)
      await generatePosts(dir, LARGE_SITE_POSTS)
      return describeFolder(dir)
    })()),
}

const rows: Row[] = []
const sections: Partial<Record<Section, object>> = {}
async function run(section: Section, measure: () => Promise<SectionResult>): Promise<void> {
  if (!only.includes(section)) return
  if (quick && section === 'publish') {
    rows.push({
      section: 'Publish',
      measure: `1 new post into a ${LARGE_SITE_POSTS.toLocaleString('en')}-post local deployment`,
      result: 'not measured (--quick)',
    })
    return
  }
  const result = await measure()
  sections[section] = result.data
  rows.push(...result.rows)
}

try {
  await run('build', () => benchBuild(ctx))
  if (only.includes('render') || only.includes('requests') || only.includes('search')) {
    // The corpus and the seed, built in this process: stored posts to render, and KV entries to serve.
    const site = await buildSite((await corpusWithSeed(tmp)).dir)
    if (site.errors.length > 0) throw new Error(`the corpus does not build:\n${site.errors.join('\n')}`)
    await run('render', () => benchRender(ctx, site.posts))
    await run('requests', async () => benchRequests(ctx, site, await seedPost(site.posts)))
    await run('search', () => benchSearch(ctx, site))
  }
  await run('images', () => benchImages(ctx))
  await run('bundle', () => benchBundle(ctx))
  await run('publish', () => benchPublish(ctx))
} finally {
  if (values.keep) ctx.log(`scratch folder kept: ${tmp}`)
  else await rm(tmp, { recursive: true, force: true })
}

const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
const header = { date: started, machine: machine(), command, load: [loadAtStart, loadPerCore()] as [number, number] }
const table = markdownTable(header, rows)
process.stdout.write(table)
await writeFile(
  'bench/results.json',
  `${JSON.stringify({ ...header, options: { quick, runs, only }, sections, rows, table }, null, 2)}\n`,
)
ctx.log('wrote bench/results.json')

/** The user's sample post: the article of the request benchmarks. */
async function seedPost<P extends { file: string }>(posts: readonly P[]): Promise<P> {
  const names = new Set(await readdir(SEED_DIR))
  const seed = posts.find((p) => names.has(p.file.split('/').pop()!))
  if (!seed) throw new Error(`no post from ${SEED_DIR} among the built posts`)
  return seed
}
