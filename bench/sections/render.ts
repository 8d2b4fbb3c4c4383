import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import { importImageKey } from '../../src/shared/image-url.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { type RenderConfig, renderPostPage } from '../../src/worker/render/index.tsx'
import type { BenchContext, SectionResult } from '../context.ts'
import { mark, ms } from '../format.ts'
import { median, type Summary, summarise } from '../stats.ts'

/** The targets; max is the Workers free plan's CPU limit per request. */
const TARGET_MS = { median: 1, p99: 5, max: 10 }
const WARMUP_PASSES = 2

interface PostTiming {
  file: string
  bytes: number
  cpuMs: number
  wallMs: number
}

/**
 * 2. The pure render function (stored post → page) over every post, in Node.
 * Each call is timed twice: process CPU time (process.cpuUsage, all threads:
 * it includes the HMAC signing WebCrypto does off the main thread, and any
 * garbage collection) and wall time around the awaited call. A post's figure
 * is the median of `runs` calls; the summary is over posts.
 */
export async function benchRender(ctx: BenchContext, posts: readonly StoredPost[]): Promise<SectionResult> {
  const config: RenderConfig = {
    siteName: 'News Archive',
    origin: 'https://news.example',
    imageKey: await importImageKey(randomBytes(32).toString('base64url')),
  }
  for (let pass = 0; pass < WARMUP_PASSES; pass++) for (const post of posts) await renderPostPage(post, config)

  const runs = Math.max(5, ctx.runs)
  const timings: PostTiming[] = []
  for (const post of posts) {
    const cpu: number[] = []
    const wall: number[] = []
    for (let i = 0; i < runs; i++) {
      const cpuBefore = process.cpuUsage()
      const wallBefore = performance.now()
      await renderPostPage(post, config)
      wall.push(performance.now() - wallBefore)
      const used = process.cpuUsage(cpuBefore)
      cpu.push((used.user + used.system) / 1000)
    }
    timings.push({ file: basename(post.file), bytes: post.html.length, cpuMs: median(cpu), wallMs: median(wall) })
  }
  ctx.log(`render: ${posts.length} posts × ${runs} calls`)

  const cpu = summarise(timings.map((t) => t.cpuMs))
  const wall = summarise(timings.map((t) => t.wallMs))
  const slowest = [...timings].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 5)
  const verdict = {
    median: cpu.median <= TARGET_MS.median,
    p99: cpu.p99 <= TARGET_MS.p99,
    max: cpu.max <= TARGET_MS.max,
  }
  return {
    data: {
      posts: posts.length,
      callsPerPost: runs,
      targetsMs: TARGET_MS,
      cpuMs: cpu,
      wallMs: wall,
      met: verdict,
      slowest,
    },
    rows: [
      {
        section: 'Render CPU',
        measure: `renderPostPage, ${posts.length} posts (corpus + seed), CPU ms per page`,
        result: `median **${ms(cpu.median)}**, p95 ${ms(cpu.p95)}, p99 **${ms(cpu.p99)}**, max **${ms(cpu.max)}**`,
        target: `median ≤ ${TARGET_MS.median} ${mark(verdict.median, cpu.median, TARGET_MS.median)}, p99 ≤ ${TARGET_MS.p99} ${mark(verdict.p99, cpu.p99, TARGET_MS.p99)}, max ≤ ${TARGET_MS.max} ${mark(verdict.max, cpu.max, TARGET_MS.max)}`,
      },
      { section: 'Render CPU', measure: 'same, wall ms (awaited call)', result: summaryLine(wall) },
      {
        section: 'Render CPU',
        measure: 'slowest post',
        result: `${ms(slowest[0].cpuMs)} ms CPU: ${slowest[0].file} (${(slowest[0].bytes / 1024).toFixed(0)} KiB stored HTML)`,
      },
    ],
  }
}

function summaryLine(s: Summary): string {
  return `median ${ms(s.median)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`
}
