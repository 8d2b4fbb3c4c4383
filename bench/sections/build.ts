import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { npmRun } from '../command.ts'
import {
  type BenchContext,
  CORPUS_DIR,
  describeFolder,
  LARGE_SITE_POSTS,
  type PostFolder,
  type Row,
  type SectionResult,
} from '../context.ts'
import { hugoBuild, hugoSite, hugoVersion } from '../hugo.ts'
import { median } from '../stats.ts'

/**
 * Cold: every run starts with an empty build cache (each post parsed, rendered and normalised).
 * Warm: the cache a first build left (what a rebuild or a one-post publish costs).
 */
type CacheState = 'cold' | 'warm'

interface BuildMeasure {
  label: string
  cache: CacheState
  posts: number
  sourceMB: number
  outputMB: number
  runs: number
  /** `npm run build` from spawn to exit, per run. */
  commandSeconds: number[]
  /** The build's own timer (parse, normalise, render Markdown; no process start, no writing). */
  buildSeconds: number[]
  postsPerSecond: number
  megabytesPerSecond: number
}

/**
 * 1. `npm run build` over the corpus and over a generated 10,000-post folder:
 * posts/s and MB/s (source Markdown) from the median wall time of the whole
 * command, as one would time Hugo or Jekyll.
 */
export async function benchBuild(ctx: BenchContext): Promise<SectionResult> {
  const corpus = await describeFolder(CORPUS_DIR)
  const measures = [
    await measure(ctx, 'corpus', corpus, 'cold', ctx.runs),
    await measure(ctx, 'corpus', corpus, 'warm', ctx.runs),
  ]
  if (!ctx.quick) {
    const large = await ctx.largeSite()
    measures.push(await measure(ctx, 'generated from the corpus', large, 'cold', Math.min(ctx.runs, 2)))
    measures.push(await measure(ctx, 'generated from the corpus', large, 'warm', Math.min(ctx.runs, 3)))
  }

  const rows: Row[] = measures.map((m) => ({
    section: 'Build',
    measure: `${m.label}: ${m.posts.toLocaleString('en')} posts, ${m.sourceMB.toFixed(1)} MB, ${m.cache} build cache`,
    result:
      `**${m.postsPerSecond.toFixed(0)} posts/s**, ${m.megabytesPerSecond.toFixed(2)} MB/s ` +
      `(${median(m.commandSeconds).toFixed(1)} s; build phase ${median(m.buildSeconds).toFixed(1)} s; median of ${m.runs})`,
  }))
  if (ctx.quick)
    rows.push({
      section: 'Build',
      measure: `${LARGE_SITE_POSTS.toLocaleString('en')} generated posts`,
      result: 'not measured (--quick)',
    })
  // Hugo builds the same 10,000 posts from scratch right after ours: the same machine at about the same load.
  const ours = measures.find((m) => m.cache === 'cold' && m.posts >= LARGE_SITE_POSTS)
  const hugo = ours ? await measureHugo(ctx, await ctx.largeSite(), ours.runs) : undefined
  if (ours && hugo && 'seconds' in hugo) {
    const theirs = ours.posts / median(hugo.seconds)
    rows.push({
      section: 'Build',
      measure: `Hugo ${hugo.version}, the same ${ours.posts.toLocaleString('en')} posts, from scratch (minimal layouts: article, paginated listings, tags, categories, RSS, sitemap)`,
      result: `**${theirs.toFixed(0)} posts/s** (${median(hugo.seconds).toFixed(1)} s; median of ${hugo.seconds.length})`,
      target: `ours, cold: ${ours.postsPerSecond > theirs ? `${(ours.postsPerSecond / theirs).toFixed(1)}× faster` : `${(theirs / ours.postsPerSecond).toFixed(1)}× slower`}`,
    })
  } else if (hugo && 'missing' in hugo)
    rows.push({ section: 'Build', measure: 'Hugo, the same posts', result: `not measured: ${hugo.missing}` })
  return { data: { measures, hugo }, rows }
}

/** Hugo over the same posts, cold each run (fresh output and cache folders), after one warm-up. */
async function measureHugo(
  ctx: BenchContext,
  folder: PostFolder,
  runs: number,
): Promise<{ version: string; seconds: number[] } | { missing: string }> {
  const version = await hugoVersion()
  if (!version) return { missing: 'no Hugo at /usr/bin/hugo (`apt-get install hugo`, or HUGO_BIN)' }
  const dir = join(ctx.tmp, 'hugo-site')
  await hugoSite(dir, folder.dir)
  const seconds: number[] = []
  for (let i = -1; i < runs; i++) {
    const took = await hugoBuild(dir, i + 1)
    ctx.log(`build Hugo ${version}: ${i < 0 ? 'warm-up' : `run ${i + 1}/${runs}`} ${took.toFixed(1)} s`)
    if (i >= 0) seconds.push(took)
  }
  return { version, seconds }
}

const SUMMARY = /built (\d+) posts \(([\d.]+) MB\) in ([\d.]+) s/

async function measure(
  ctx: BenchContext,
  label: string,
  folder: PostFolder,
  cache: CacheState,
  runs: number,
): Promise<BuildMeasure> {
  const out = join(ctx.tmp, 'build-out')
  const warmCache = await mkdtemp(join(ctx.tmp, 'build-cache-'))
  const commandSeconds: number[] = []
  const buildSeconds: number[] = []
  let outputMB = 0
  // One warm-up: it fills the warm cache (and the page cache, for both).
  for (let i = -1; i < runs; i++) {
    const cacheDir = cache === 'warm' || i < 0 ? warmCache : await mkdtemp(join(ctx.tmp, 'build-cache-'))
    const { seconds, stdout } = await npmRun('build', ['--content', folder.dir, '--out', out], {
      BUILD_CACHE_DIR: cacheDir,
    })
    const summary = SUMMARY.exec(stdout)
    if (!summary) throw new Error(`npm run build printed no summary line:\n${stdout}`)
    if (Number(summary[1]) !== folder.posts)
      throw new Error(`built ${summary[1]} of ${folder.posts} posts in ${folder.dir}`)
    ctx.log(`build ${label} (${cache}): ${i < 0 ? 'warm-up' : `run ${i + 1}/${runs}`} ${seconds.toFixed(1)} s`)
    if (i < 0) continue
    commandSeconds.push(seconds)
    buildSeconds.push(Number(summary[3]))
    outputMB = Number(summary[2])
  }
  const seconds = median(commandSeconds)
  const sourceMB = folder.bytes / 1e6
  return {
    label,
    cache,
    posts: folder.posts,
    sourceMB,
    outputMB,
    runs,
    commandSeconds,
    buildSeconds,
    postsPerSecond: folder.posts / seconds,
    megabytesPerSecond: sourceMB / seconds,
  }
}
