import { randomBytes } from 'node:crypto'
import { basename, join } from 'node:path'
import { parse, serialize } from 'parse5'
import type { SiteBuild } from '../../src/builder/site.ts'
import { imageProxyPath, importImageKey } from '../../src/shared/image-url.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { type OriginHandler, startImageOrigin } from '../../test/support/image-origin.ts'
import { bundleWorker } from '../bundle.ts'
import type { BenchContext, Row, SectionResult } from '../context.ts'
import { mark, ms } from '../format.ts'
import { type LoadResult, load } from '../load.ts'
import { median, summarise } from '../stats.ts'
import { CACHE_API_PREFIX, EDGE_CACHE_HEADER, NATIVE_PREFIX, RENDER_PREFIX } from '../worker/protocol.ts'
import { type LocalWorkerd, startWorkerd } from '../workerd.ts'
import { workerdCpuMs } from '../workerd-cpu.ts'

/** This section's port (beside `npm start` on 8787 and the other engineers' servers). */
const PORT = Number(process.env.BENCH_PORT ?? 8807)
const CONNECTIONS = 8
const TARGETS = { cacheHitOverFloor: 0.8, renderOverNative: 3 }
/** The Workers free plan's CPU limit per request. */
const CPU_LIMIT_MS = 10

/** A news photo's typical size. */
const IMAGE_BYTES = 64 * 1024

/**
 * The image host (on 127.0.0.1): every path is the same JPEG-signed body of a
 * photo's size (the proxy checks the signature, not the pixels), cacheable for
 * a day. Its request log tells cache hits from trips to the origin.
 */
const photoSizedJpeg: OriginHandler = (_req, res) => {
  const body = new Uint8Array(IMAGE_BYTES)
  body.set([0xff, 0xd8, 0xff, 0xe0])
  res.writeHead(200, {
    'content-type': 'image/jpeg',
    'content-length': body.byteLength,
    'cache-control': 'public, max-age=86400',
  })
  res.end(body)
}

/** The issue's five cases, and b0: a diagnostic for (b). */
type TargetId = 'a' | 'b' | 'b0' | 'c' | 'd' | 'e'

interface Target {
  id: TargetId
  name: string
  path: string
  headers?: Record<string, string>
}

/**
 * 3. Requests per second and latency in workerd on loopback, for the five
 * cases of issue 8, measured in interleaved rounds (a b c d e, a b c d e, …)
 * so that the machine's changing load falls on all alike; ratios are taken
 * within each round, and the medians reported.
 */
export async function benchRequests(ctx: BenchContext, site: SiteBuild, article: StoredPost): Promise<SectionResult> {
  const bundle = await bundleWorker('bench/worker/wrangler.toml', join(ctx.tmp, 'bench-bundle'))
  const origin = await startImageOrigin(photoSizedJpeg)
  const secret = randomBytes(32).toString('base64url')
  let worker: LocalWorkerd | undefined
  try {
    worker = await startWorkerd({
      script: bundle.script,
      // The image origin is loopback, which the proxy refuses unless allowed.
      vars: { IMAGE_PROXY_KEY: secret, IMAGE_PROXY_ALLOW_HOSTS: origin.host },
      persistTo: join(ctx.tmp, 'requests-state'),
      port: PORT,
    })
    const kv = await worker.kv('POSTS')
    for (const entry of site.entries) await kv.put(entry.key, entry.value)
    ctx.log(`requests: ${site.entries.length} keys loaded, worker at ${worker.url}`)
    // First, while no page has been rendered in this isolate: the render's code is not yet compiled.
    const largest = [...site.posts].sort((a, b) => b.html.length - a.html.length)
    const workerdRender = await renderCpuInWorkerd(worker.url, site.posts, largest[0], ctx.quick ? 3 : 5)
    const firstBytes = await timesToFirstByte(worker.url, largest.slice(0, 3), ctx.quick ? 7 : 15)

    const image = await imageProxyPath(await importImageKey(secret), `${origin.url}/photos/lead.jpg`)
    const targets: Target[] = [
      { id: 'a', name: 'trivial route `/healthz` (the floor)', path: '/healthz' },
      { id: 'b', name: 'article from the render cache', path: article.url },
      {
        id: 'b0',
        name: 'same page as a bare Cache API hit (bench-only: what the local cache costs by itself)',
        path: `${CACHE_API_PREFIX}${article.url}`,
      },
      {
        id: 'c',
        name: 'article rendered from KV, cache bypassed',
        path: article.url,
        headers: { [EDGE_CACHE_HEADER]: 'miss' },
      },
      { id: 'd', name: 'same article, native HTMLRewriter (anchor)', path: `${NATIVE_PREFIX}${article.url}` },
      { id: 'e', name: `proxied ${IMAGE_BYTES / 1024} KiB image, cache hit (origin on 127.0.0.1)`, path: image },
    ]
    const checks = await checkTargets(worker.url, targets)
    const anchor = await compareAnchor(worker.url, site.posts)
    ctx.log(`requests: anchor identical as parsed for ${anchor.identical}/${anchor.posts} posts`)

    const seconds = ctx.quick ? 3 : 10
    const rounds = 3
    const originBefore = origin.log.length
    for (const target of targets)
      await load({ url: worker.url + target.path, headers: target.headers, connections: CONNECTIONS, seconds: 2 })
    const results = new Map<TargetId, LoadResult[]>(targets.map((t) => [t.id, []]))
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const result = await load({
          url: worker.url + target.path,
          headers: target.headers,
          connections: CONNECTIONS,
          seconds,
        })
        results.get(target.id)!.push(result)
        ctx.log(
          `requests round ${round + 1}/${rounds} (${target.id}): ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`,
        )
      }
    }
    const originRequestsUnderLoad = origin.log.length - originBefore

    const perRound = (f: (r: Record<TargetId, LoadResult>) => number) =>
      median(
        Array.from({ length: rounds }, (_, i) =>
          f(Object.fromEntries(targets.map((t) => [t.id, results.get(t.id)![i]])) as Record<TargetId, LoadResult>),
        ),
      )
    const cacheHitOverFloor = perRound((r) => r.b.requestsPerSecond / r.a.requestsPerSecond)
    const bareCacheHitOverFloor = perRound((r) => r.b0.requestsPerSecond / r.a.requestsPerSecond)
    const renderSlowdown = perRound((r) => r.d.requestsPerSecond / r.c.requestsPerSecond)
    const summary = targets.map((t) => {
      const runs = results.get(t.id)!
      return {
        ...t,
        requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        runs,
      }
    })

    const rows: Row[] = summary.map((t) => ({
      section: 'Requests',
      measure: `(${t.id}) ${t.name}`,
      result: `**${t.requestsPerSecond.toFixed(0)} req/s**, p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms`,
    }))
    rows.push(
      {
        section: 'Requests',
        measure: '(b)/(a): render-cache hit vs floor, req/s',
        result: `**${cacheHitOverFloor.toFixed(2)}** (a bare Cache API hit, b0: ${bareCacheHitOverFloor.toFixed(2)})`,
        target: `≥ ${TARGETS.cacheHitOverFloor} ${cacheHitOverFloor >= TARGETS.cacheHitOverFloor ? '✓' : `✗ (${(TARGETS.cacheHitOverFloor - cacheHitOverFloor).toFixed(2)} short)`}`,
      },
      {
        section: 'Requests',
        measure: '(c)/(d): render from KV vs native HTMLRewriter, times slower',
        result: `**${renderSlowdown.toFixed(2)}×** (anchor output identical as parsed for ${anchor.identical}/${anchor.posts} posts)`,
        target: `≤ ${TARGETS.renderOverNative}× ${mark(renderSlowdown <= TARGETS.renderOverNative, renderSlowdown, TARGETS.renderOverNative)}`,
      },
    )
    rows.push(...workerdRender.rows, ...firstBytes.rows)
    for (const problem of [
      ...checks,
      ...(originRequestsUnderLoad > 0
        ? [`(e) reached the image origin ${originRequestsUnderLoad} times under load: not all cache hits`]
        : []),
    ]) {
      rows.push({ section: 'Requests', measure: 'warning', result: problem })
    }
    return {
      data: {
        article: { file: article.file, url: article.url, storedHtmlBytes: article.html.length },
        connections: CONNECTIONS,
        secondsPerRun: seconds,
        rounds,
        targets: summary,
        ratios: { cacheHitOverFloor, bareCacheHitOverFloor, renderSlowdown },
        targetRatios: TARGETS,
        anchor,
        renderInWorkerd: workerdRender.data,
        firstByteOnMiss: firstBytes.data,
        originRequestsUnderLoad,
        warnings: checks,
      },
      rows,
    }
  } finally {
    await worker?.dispose()
    await origin.close()
  }
}

/**
 * Each target answers 200, and is what its name says: (b) a render-cache hit
 * once primed, (c) a render that bypassed it, (e) an image. Mismatches are
 * reported with the numbers rather than hidden.
 */
async function checkTargets(base: string, targets: Target[]): Promise<string[]> {
  const problems: string[] = []
  for (const target of targets) {
    // The third answer: caches are filled after the response (waitUntil), so the second may still miss.
    for (let i = 0; i < 3; i++) {
      const response = await fetch(base + target.path, { headers: target.headers })
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`(${target.id}) ${target.path}: HTTP ${response.status}`)
      if (i < 2) continue
      const timing = response.headers.get('server-timing') ?? ''
      if (target.id === 'b' && !timing.includes('"hit"'))
        problems.push(`(b) is not answered from the render cache (server-timing: ${timing || 'none'})`)
      if (target.id === 'c' && timing.includes('"hit"')) problems.push('(c) was answered from the render cache')
      if (target.id === 'e' && !response.headers.get('content-type')?.startsWith('image/'))
        problems.push('(e) is not an image')
    }
  }
  return problems
}

/**
 * Does the anchor do the same rewrite? Its page against the product's
 * (rendered, not cached), post by post, as a browser reads them: both parsed
 * and serialised again by a spec parser (parse5), since the two serialisers
 * write some things differently (`alt` or `alt=""`, U+00A0 or `&nbsp;`).
 */
async function compareAnchor(
  base: string,
  posts: readonly StoredPost[],
): Promise<{ posts: number; identical: number; differing: string[] }> {
  const differing: string[] = []
  for (const post of posts) {
    const [product, native] = await Promise.all([
      fetch(base + post.url, { headers: { [EDGE_CACHE_HEADER]: 'miss' } }).then((r) => r.text()),
      fetch(base + NATIVE_PREFIX + post.url).then((r) => r.text()),
    ])
    if (serialize(parse(product)) !== serialize(parse(native))) differing.push(basename(post.file))
  }
  return { posts: posts.length, identical: posts.length - differing.length, differing }
}

/**
 * Render CPU in workerd itself: each post rendered in its own request of the
 * bench worker's render loop (`RENDER_PREFIX`), with workerd's CPU time read
 * around it from /proc, less what an empty request of the same route costs.
 * The runtime whose 10 ms limit applies, with its own garbage collector and
 * WebCrypto. `cold` is the first render in the isolate, code not yet compiled.
 */
async function renderCpuInWorkerd(
  base: string,
  posts: readonly StoredPost[],
  largest: StoredPost,
  calls: number,
): Promise<{ rows: Row[]; data: object | null }> {
  if ((await workerdCpuMs()) === null) {
    return { rows: [{ section: 'Render CPU', measure: 'in workerd', result: 'not measured (no /proc)' }], data: null }
  }
  const cpuOf = async (post: StoredPost, n: number): Promise<number> => {
    const before = (await workerdCpuMs())!
    const response = await fetch(`${base}${RENDER_PREFIX}${post.url}?n=${n}`)
    if (response.status !== 204) throw new Error(`${RENDER_PREFIX}${post.url}: HTTP ${response.status}`)
    return (await workerdCpuMs())! - before
  }
  // The post read from KV, then an empty request: what a request costs around the render.
  await cpuOf(largest, 0)
  const overhead = [await cpuOf(largest, 0)]
  const coldTotal = await cpuOf(largest, 1)
  const perPost: { file: string; cpuMs: number }[] = []
  const perCall: number[] = []
  for (const post of posts) {
    await cpuOf(post, 0)
    overhead.push(await cpuOf(post, 0))
    const own: number[] = []
    for (let i = 0; i < calls; i++) own.push(await cpuOf(post, 1))
    perCall.push(...own)
    perPost.push({ file: basename(post.file), cpuMs: median(own) })
  }
  const base0 = median(overhead)
  const net = (ms: number) => Math.max(0, ms - base0)
  const cpu = summarise(perPost.map((p) => net(p.cpuMs)))
  const calls0 = summarise(perCall.map(net))
  const cold = net(coldTotal)
  const slowest = [...perPost]
    .sort((a, b) => b.cpuMs - a.cpuMs)
    .slice(0, 5)
    .map((p) => ({ ...p, cpuMs: net(p.cpuMs) }))
  const over = perPost.filter((p) => net(p.cpuMs) > CPU_LIMIT_MS).length
  return {
    rows: [
      {
        section: 'Render CPU',
        measure: `in workerd: renderPostPage per request, ${posts.length} posts × ${calls} requests (workerd's CPU time from /proc, less an empty request's ${base0.toFixed(2)} ms)`,
        result: `median **${ms(cpu.median)}**, p95 ${ms(cpu.p95)}, p99 **${ms(cpu.p99)}**, max **${ms(cpu.max)}** (per post); every request: p99 ${ms(calls0.p99)}, max ${ms(calls0.max)}`,
        target: `max ≤ ${CPU_LIMIT_MS} ${mark(cpu.max <= CPU_LIMIT_MS, cpu.max, CPU_LIMIT_MS)} (${over} posts over)`,
      },
      {
        section: 'Render CPU',
        measure: 'in workerd: first render in the isolate (code not yet compiled), the largest post',
        result: `${ms(cold)} ms CPU: ${basename(largest.file)}`,
      },
    ],
    data: { overheadMs: base0, cpuMs: cpu, perCallCpuMs: calls0, coldFirstRenderMs: cold, slowest },
  }
}

/**
 * Time to first byte and to the last, on a render-cache miss (the request as
 * Workers Cache lets it through: KV read, validators, render), for the
 * largest posts: sequential requests after a warm-up, medians.
 */
async function timesToFirstByte(
  base: string,
  posts: readonly StoredPost[],
  requests: number,
): Promise<{ rows: Row[]; data: object[] }> {
  const data = []
  for (const post of posts) {
    const first: number[] = []
    const last: number[] = []
    for (let i = 0; i < requests + 3; i++) {
      const start = performance.now()
      const response = await fetch(base + post.url, { headers: { [EDGE_CACHE_HEADER]: 'miss' } })
      const reader = response.body!.getReader()
      let firstByte: number | undefined
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) firstByte ??= performance.now()
      if (i < 3) continue
      first.push((firstByte ?? performance.now()) - start)
      last.push(performance.now() - start)
    }
    data.push({
      file: basename(post.file),
      storedHtmlBytes: post.html.length,
      firstByteMs: median(first),
      lastByteMs: median(last),
    })
  }
  return {
    rows: [
      {
        section: 'Requests',
        measure: `time to first / last byte on a render-cache miss, the ${posts.length} largest posts (median of ${requests})`,
        result: data
          .map((d) => `${(d.storedHtmlBytes / 1024).toFixed(0)} KiB: **${ms(d.firstByteMs)}** / ${ms(d.lastByteMs)} ms`)
          .join('; '),
      },
    ],
    data,
  }
}
