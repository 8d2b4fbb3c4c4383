import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { captureAll, DEFAULT_CONCURRENCY } from '../../src/deploy/image-archive/capture-all.ts'
import { archiveEndpoints } from '../../src/deploy/image-archive/worker-client.ts'
import { imageProxyPath, importImageKey } from '../../src/shared/image-url.ts'
import { type OriginHandler, startImageOrigin } from '../../test/support/image-origin.ts'
import { bundleWorker } from '../bundle.ts'
import type { BenchContext, Row, SectionResult } from '../context.ts'
import { load } from '../load.ts'
import { type LocalWorkerd, startWorkerd } from '../workerd.ts'

const PORT = Number(process.env.BENCH_PORT ?? 8807)
const CONNECTIONS = 8
/** A news photo's typical size, as in the requests section. */
const IMAGE_BYTES = 64 * 1024

/**
 * `/<n>.jpg`: a photo-sized JPEG-signed body whose bytes hold n + 1, so
 * every path is its own image; `/same/<n>.jpg` is one image under many URLs
 * (what the archive stores once).
 */
const photos: OriginHandler = (_req, res, { url }) => {
  const body = new Uint8Array(IMAGE_BYTES)
  body.set([0xff, 0xd8, 0xff, 0xe0])
  if (!url.pathname.startsWith('/same/'))
    new DataView(body.buffer).setUint32(8, Number.parseInt(url.pathname.slice(1), 10) + 1)
  res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.byteLength })
  res.end(body)
}

/**
 * The image archive in workerd (the bundle `wrangler deploy` uploads, its R2
 * bucket local): capture throughput through the endpoint at deploy's settings
 * against an origin on 127.0.0.1, what deduplication saves, and `/img/` of an
 * archived image answered from the Cache API vs from R2 (the same state served
 * again with the Cache API off, so every request reads the bucket).
 */
export async function benchImages(ctx: BenchContext): Promise<SectionResult> {
  const bundle = await bundleWorker('wrangler.toml', join(ctx.tmp, 'images-bundle'))
  const origin = await startImageOrigin(photos)
  const secret = randomBytes(32).toString('base64url')
  const token = randomBytes(16).toString('hex')
  const state = join(ctx.tmp, 'images-state')
  const serve = (cache: boolean) =>
    startWorkerd({
      script: bundle.script,
      vars: { IMAGE_PROXY_KEY: secret, IMAGE_ARCHIVE_TOKEN: token, IMAGE_PROXY_ALLOW_HOSTS: origin.host },
      persistTo: state,
      port: PORT,
      cache,
    })
  const distinct = ctx.quick ? 80 : 400
  const duplicates = distinct / 4
  const urls = [
    ...Array.from({ length: distinct }, (_, i) => `${origin.url}/${i}.jpg`),
    ...Array.from({ length: duplicates }, (_, i) => `${origin.url}/same/${i}.jpg`),
  ]
  let worker: LocalWorkerd | undefined
  try {
    worker = await serve(true)
    const { capture, bucket } = archiveEndpoints(worker.url, token)
    ctx.log(`images: capturing ${urls.length} URLs (${DEFAULT_CONCURRENCY} requests at a time)`)
    const outcome = await captureAll(urls, capture)
    if (outcome.error || outcome.notDone.length > 0) throw new Error(`capture stopped: ${outcome.error}`)
    const failed = [...outcome.results.values()].filter((r) => r.status !== 'captured')
    if (failed.length > 0) throw new Error(`capture: ${JSON.stringify(failed[0])}`)
    const objects = (await bucket.list('obj/')).objects
    const storedBytes = objects.reduce((n, o) => n + o.size, 0)
    const fetchedBytes = urls.length * IMAGE_BYTES
    const imagesPerSecond = urls.length / outcome.seconds

    const path = await imageProxyPath(await importImageKey(secret), urls[0])
    const seconds = ctx.quick ? 3 : 10
    await load({ url: worker.url + path, connections: CONNECTIONS, seconds: 1 })
    const fromCache = await load({ url: worker.url + path, connections: CONNECTIONS, seconds })
    await worker.dispose()
    worker = await serve(false)
    const originBefore = origin.log.length
    await load({ url: worker.url + path, connections: CONNECTIONS, seconds: 1 })
    const fromR2 = await load({ url: worker.url + path, connections: CONNECTIONS, seconds })
    if (origin.log.length !== originBefore) throw new Error('an archived image was fetched from its source')

    const rows: Row[] = [
      {
        section: 'Images',
        measure: `capture of ${urls.length} ${IMAGE_BYTES / 1024} KiB images through the worker (batches of 8, ${DEFAULT_CONCURRENCY} requests at a time, origin on 127.0.0.1)`,
        result: `**${imagesPerSecond.toFixed(0)} images/s**, ${(fetchedBytes / outcome.seconds / 1e6).toFixed(1)} MB/s (${outcome.seconds.toFixed(1)} s)`,
      },
      {
        section: 'Images',
        measure: `dedup: ${duplicates} URLs of one image among ${distinct} distinct`,
        result: `${objects.length} objects stored for ${urls.length} URLs; ${(storedBytes / 1e6).toFixed(1)} MB of ${(fetchedBytes / 1e6).toFixed(1)} MB fetched`,
      },
      {
        section: 'Images',
        measure: '`/img/` of an archived image, Cache API hit',
        result: `**${fromCache.requestsPerSecond.toFixed(0)} req/s**, p50 ${fromCache.p50.toFixed(1)} ms, p99 ${fromCache.p99.toFixed(1)} ms`,
      },
      {
        section: 'Images',
        measure: '`/img/` of the same image from R2 (Cache API off; no source request)',
        result: `**${fromR2.requestsPerSecond.toFixed(0)} req/s**, p50 ${fromR2.p50.toFixed(1)} ms, p99 ${fromR2.p99.toFixed(1)} ms`,
      },
    ]
    return {
      data: {
        urls: urls.length,
        captureSeconds: outcome.seconds,
        imagesPerSecond,
        objects: objects.length,
        storedBytes,
        fetchedBytes,
        fromCache,
        fromR2,
      },
      rows,
    }
  } finally {
    await worker?.dispose()
    await origin.close()
  }
}
