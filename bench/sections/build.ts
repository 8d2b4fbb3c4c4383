import { join } from 'node:path'
import { npmRun } from '../command.ts'
import { CORPUS_DIR, LARGE_SITE_POSTS, describeFolder, type BenchContext, type PostFolder, type Row, type SectionResult } from '../context.ts'
import { median } from '../stats.ts'

/** Reference builds of 5,400 such posts, measured elsewhere on this machine (issue 8); not re-measured here. */
const REFERENCES = [
  { name: 'Hugo', posts: 5400, seconds: 2.8 },
  { name: 'Jekyll', posts: 5400, seconds: 67 },
]

interface BuildMeasure {
  label: string
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
  const measures = [await measure(ctx, 'corpus', await describeFolder(CORPUS_DIR), 1, ctx.runs)]
  // The corpus runs warmed tsx's compile cache; the generated files are in the page cache, just written.
  if (!ctx.quick) measures.push(await measure(ctx, 'generated from the corpus', await ctx.largeSite(), 0, Math.min(ctx.runs, 3)))

  const rows: Row[] = measures.map((m) => ({
    section: 'Build',
    measure: `${m.label}: ${m.posts.toLocaleString('en')} posts, ${m.sourceMB.toFixed(1)} MB`,
    result:
      `**${m.postsPerSecond.toFixed(0)} posts/s**, ${m.megabytesPerSecond.toFixed(2)} MB/s ` +
      `(${median(m.commandSeconds).toFixed(1)} s; build phase ${median(m.buildSeconds).toFixed(1)} s; median of ${m.runs})`,
  }))
  if (ctx.quick) rows.push({ section: 'Build', measure: `${LARGE_SITE_POSTS.toLocaleString('en')} generated posts`, result: 'not measured (--quick)' })
  // Compared with our largest folder: the nearest in size to theirs.
  const ours = measures[measures.length - 1]
  for (const ref of REFERENCES) {
    const theirs = ref.posts / ref.seconds
    rows.push({
      section: 'Build',
      measure: `${ref.name}, ${ref.posts.toLocaleString('en')} posts (reference: measured elsewhere on this machine, not re-measured)`,
      result: `${theirs.toFixed(0)} posts/s (${ref.seconds} s)`,
      target: `ours at ${ours.posts.toLocaleString('en')} posts: ${ours.postsPerSecond > theirs ? `${(ours.postsPerSecond / theirs).toFixed(1)}× faster` : `${(theirs / ours.postsPerSecond).toFixed(1)}× slower`}`,
    })
  }
  return { data: { measures, references: REFERENCES }, rows }
}

const SUMMARY = /built (\d+) posts \(([\d.]+) MB\) in ([\d.]+) s/

async function measure(ctx: BenchContext, label: string, folder: PostFolder, warmups: number, runs: number): Promise<BuildMeasure> {
  const out = join(ctx.tmp, 'build-out')
  const commandSeconds: number[] = []
  const buildSeconds: number[] = []
  let outputMB = 0
  for (let i = -warmups; i < runs; i++) {
    const { seconds, stdout } = await npmRun('build', ['--content', folder.dir, '--out', out])
    const summary = SUMMARY.exec(stdout)
    if (!summary) throw new Error(`npm run build printed no summary line:\n${stdout}`)
    if (Number(summary[1]) !== folder.posts) throw new Error(`built ${summary[1]} of ${folder.posts} posts in ${folder.dir}`)
    ctx.log(`build ${label}: ${i < 0 ? 'warm-up' : `run ${i + 1}/${runs}`} ${seconds.toFixed(1)} s`)
    if (i < 0) continue
    commandSeconds.push(seconds)
    buildSeconds.push(Number(summary[3]))
    outputMB = Number(summary[2])
  }
  const seconds = median(commandSeconds)
  const sourceMB = folder.bytes / 1e6
  return {
    label,
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
