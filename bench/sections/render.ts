import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import { PerformanceObserver } from 'node:perf_hooks'
import { importImageKey } from '../../src/shared/image-url.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { type RenderConfig, renderPostPage } from '../../src/worker/render/index.tsx'
import type { BenchContext, SectionResult } from '../context.ts'
import { mark, ms } from '../format.ts'
import { median, type Summary, summarise } from '../stats.ts'

/** The targets of issue 16; max is the Workers free plan's CPU limit per request. */
const TARGET_MS = { median: 0.5, p99: 3, max: 10 }
const WARMUP_PASSES = 2

interface PostTiming {
  file: string
  bytes: number
  cpuMs: number
  wallMs: number
}

/** One measured call, with the garbage collections that started during it. */
interface Call {
  file: string
  cpuMs: number
  wallMs: number
  gcMs: number
}

/**
 * 2. The pure render function (stored post → page) over every post, in Node.
 * Each call is timed twice: process CPU time (process.cpuUsage, all threads:
 * it includes the HMAC signing WebCrypto does off the main thread, and any
 * garbage collection) and wall time around the awaited call. A post's figure
 * is the median of `runs` calls; the summary is over posts. Every call is kept
 * too, and the garbage collections that started during it (`gc` performance
 * entries), so that a slow call can be told apart from a slow post.
 */
export async function benchRender(ctx: BenchContext, posts: readonly StoredPost[]): Promise<SectionResult> {
  const config: RenderConfig = {
    siteName: 'News Archive',
    origin: 'https://news.example',
    imageKey: await importImageKey(randomBytes(32).toString('base64url')),
  }
  // The largest post on code never run before: what the first view costs in a fresh isolate.
  const largest = [...posts].sort((a, b) => b.html.length - a.html.length)[0]
  const cold = await timed(largest, config)
  for (let pass = 0; pass < WARMUP_PASSES; pass++) for (const post of posts) await renderPostPage(post, config)

  const collections: { start: number; duration: number }[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collections.push({ start: entry.startTime, duration: entry.duration })
  })
  observer.observe({ entryTypes: ['gc'] })
  const runs = Math.max(5, ctx.runs)
  const calls: (Call & { start: number; end: number })[] = []
  for (const post of posts) for (let i = 0; i < runs; i++) calls.push({ ...(await timed(post, config)), gcMs: 0 })
  // Entries are delivered asynchronously: let the last ones arrive.
  await new Promise((resolve) => setTimeout(resolve, 50))
  observer.disconnect()
  for (const { start, duration } of collections) {
    const call = calls.find((c) => start >= c.start && start < c.end)
    if (call) call.gcMs += duration
  }
  ctx.log(`render: ${posts.length} posts × ${runs} calls, ${collections.length} garbage collections`)

  const timings: PostTiming[] = posts.map((post, i) => {
    const own = calls.slice(i * runs, (i + 1) * runs)
    return {
      file: basename(post.file),
      bytes: post.html.length,
      cpuMs: median(own.map((c) => c.cpuMs)),
      wallMs: median(own.map((c) => c.wallMs)),
    }
  })
  const cpu = summarise(timings.map((t) => t.cpuMs))
  const wall = summarise(timings.map((t) => t.wallMs))
  const perCall = summarise(calls.map((c) => c.cpuMs))
  const withoutGc = summarise(calls.filter((c) => c.gcMs === 0).map((c) => c.cpuMs))
  const slowestCall = calls.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a))
  const gc = {
    collections: collections.length,
    totalMs: collections.reduce((sum, c) => sum + c.duration, 0),
    callsWithGc: calls.filter((c) => c.gcMs > 0).length,
    maxInOneCallMs: Math.max(0, ...calls.map((c) => c.gcMs)),
  }
  const cpuTotal = calls.reduce((sum, c) => sum + c.cpuMs, 0)
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
      perCallCpuMs: perCall,
      perCallCpuMsWithoutGc: withoutGc,
      slowestCall: { file: slowestCall.file, cpuMs: slowestCall.cpuMs, gcMs: slowestCall.gcMs },
      gc,
      coldFirstCall: { file: cold.file, cpuMs: cold.cpuMs, wallMs: cold.wallMs },
      met: verdict,
      slowest,
    },
    rows: [
      {
        section: 'Render CPU',
        measure: `renderPostPage, ${posts.length} posts (corpus + seed), CPU ms per page (median of ${runs} calls)`,
        result: `median **${ms(cpu.median)}**, p95 ${ms(cpu.p95)}, p99 **${ms(cpu.p99)}**, max **${ms(cpu.max)}**`,
        target: `median ≤ ${TARGET_MS.median} ${mark(verdict.median, cpu.median, TARGET_MS.median)}, p99 ≤ ${TARGET_MS.p99} ${mark(verdict.p99, cpu.p99, TARGET_MS.p99)}, max ≤ ${TARGET_MS.max} ${mark(verdict.max, cpu.max, TARGET_MS.max)}`,
      },
      {
        section: 'Render CPU',
        measure: `every call (${calls.length}), CPU ms; the same without the calls a garbage collection started in`,
        result: `${summaryLine(perCall)}; without GC: p99 ${ms(withoutGc.p99)}, max ${ms(withoutGc.max)}`,
      },
      {
        section: 'Render CPU',
        measure: 'garbage collection during the measured calls (`gc` performance entries)',
        result: `${gc.collections} collections, ${ms(gc.totalMs)} ms (${((100 * gc.totalMs) / cpuTotal).toFixed(0)} % of the calls' CPU), in ${gc.callsWithGc} of ${calls.length} calls, up to ${ms(gc.maxInOneCallMs)} ms in one; slowest call ${ms(slowestCall.cpuMs)} ms (${slowestCall.file}), ${ms(slowestCall.gcMs)} ms of it GC`,
      },
      { section: 'Render CPU', measure: 'same, wall ms (awaited call)', result: summaryLine(wall) },
      {
        section: 'Render CPU',
        measure: 'slowest post',
        result: `${ms(slowest[0].cpuMs)} ms CPU: ${slowest[0].file} (${(slowest[0].bytes / 1024).toFixed(0)} KiB stored HTML)`,
      },
      {
        section: 'Render CPU',
        measure: 'first call in the process (code not yet compiled, as in a fresh isolate): the largest post',
        result: `${ms(cold.cpuMs)} ms CPU, ${ms(cold.wallMs)} ms wall: ${basename(largest.file)}`,
      },
    ],
  }
}

async function timed(post: StoredPost, config: RenderConfig) {
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  await renderPostPage(post, config)
  const end = performance.now()
  const used = process.cpuUsage(cpuBefore)
  return { file: basename(post.file), cpuMs: (used.user + used.system) / 1000, wallMs: end - start, start, end }
}

function summaryLine(s: Summary): string {
  return `median ${ms(s.median)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`
}
