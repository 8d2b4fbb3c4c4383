import { randomBytes } from 'node:crypto'
import { basename, join } from 'node:path'
import { parse, serialize } from 'parse5'
import type { SiteBuild } from '../../src/builder/site.ts'
import { imageProxyPath, importImageKey } from '../../src/shared/image-url.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { type OriginHandler, startImageOrigin } from '../../test/support/image-origin.ts'
import { bundleWorker } from '../bundle.ts'
import type { BenchContext, Row, SectionResult } from '../context.ts'
import { mark } from '../format.ts'
import { type LoadResult, load } from '../load.ts'
import { median } from '../stats.ts'
import { CACHE_API_PREFIX, EDGE_CACHE_HEADER, NATIVE_PREFIX } from '../worker/protocol.ts'
import { type LocalWorkerd, startWorkerd } from '../workerd.ts'

/** This section's port (beside `npm start` on 8787 and the other engineers' servers). */
const PORT = Number(process.env.BENCH_PORT ?? 8807)
const CONNECTIONS = 8
const TARGETS = { cacheHitOverFloor: 0.8, renderOverNative: 3 }

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
