/**
 * Images outlive their source: posts whose images come from a local origin
 * are published and their images captured (the deploy's capture client
 * against the worker's endpoint), then the origin is stopped and the edge
 * cache cleared (the worker restarted without its Cache API state). Every
 * image of every page still loads in Chromium — from R2 — and the origin saw
 * each distinct image once. Its own worker, origin and ports: it stops them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { buildSite } from '../../src/builder/site.ts'
import { captureAll } from '../../src/deploy/image-archive/capture-all.ts'
import { archiveEndpoints } from '../../src/deploy/image-archive/worker-client.ts'
import { bytesOf, IMAGES } from '../support/image-fixtures.ts'
import { type ImageOrigin, startImageOrigin } from '../support/image-origin.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'
import { launchBrowser } from './harness/browser.ts'
import { type LocalWorker, startLocalWorker } from './harness/worker.ts'

const PORT = Number(process.env.E2E_ARCHIVE_PORT ?? 8806)
const INSPECTOR_PORT = PORT + 500
const TOKEN = 'e2e-archive-token'
const PNG = bytesOf(IMAGES['photo.png'].base64)

const work = mkdtempSync(join(tmpdir(), 'e2e-archive-'))
let origin: ImageOrigin | undefined
let worker: LocalWorker | undefined

afterAll(async () => {
  await worker?.stop()
  await origin?.close()
  rmSync(work, { recursive: true, force: true })
})

function post(title: string, day: number, images: string[][]): string {
  // Each entry: an img's src and its further srcset candidates.
  const body = images
    .map(([src, ...more]) => {
      const srcset = more.length > 0 ? ` srcset="${[src, ...more].map((u, i) => `${u} ${i + 1}x`).join(', ')}"` : ''
      return `<p><img src="${src}"${srcset} alt="${title} picture"></p>`
    })
    .join('\n')
  return postSource(
    { ...validFields, title: `"${title}"`, date: `2030-02-${String(day).padStart(2, '0')}T00:00:00.000Z` },
    `<p>${title} text.</p>\n${body}\n`,
  )
}

it('serves every image of every page from R2 once the source is gone and the cache is empty', async () => {
  origin = await startImageOrigin((_req, res, { url }) => {
    const body = Buffer.concat([PNG, Buffer.from(url.pathname)])
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.byteLength })
    res.end(body)
  })
  const pic = (name: string) => `${origin!.url}/pics/${name}.png`
  const content = contentFolder({
    '2030-02-01-one.md': post('One', 1, [[pic('one-a'), pic('one-a-2x')], [pic('shared')]]),
    '2030-02-02-two.md': post('Two', 2, [[pic('two-a')], [pic('shared')]]),
    '2030-02-03-three.md': post('Three', 3, [[pic('three-a'), pic('three-a-2x')]]),
  })
  const vars = { IMAGE_PROXY_ALLOW_HOSTS: origin.host, IMAGE_ARCHIVE_TOKEN: TOKEN, IMAGE_PROXY_KEY: 'e2e-archive-key' }
  const options = { content, work, port: PORT, inspectorPort: INSPECTOR_PORT, vars }
  worker = await startLocalWorker(options)

  // What the deploy sends: every image URL the build says the pages show.
  const site = await buildSite(content)
  const urls = [...new Set([...site.images.values()].flat())]
  expect(urls).toHaveLength(6)
  const captured = await captureAll(urls, archiveEndpoints(worker.url, TOKEN).capture)
  expect([...captured.results.values()].map((r) => r.status)).toEqual(urls.map(() => 'captured'))

  await origin.close()
  const seen = origin.log.map((r) => r.url).sort()
  expect(seen).toEqual(urls.map((u) => new URL(u).pathname).sort())
  await worker.stop()
  // The edge cache (the Cache API's local state) goes; KV and R2 stay.
  rmSync(join(work, 'state', 'v3', 'cache'), { recursive: true, force: true })
  worker = await startLocalWorker(options)

  const browser = await launchBrowser()
  try {
    for (const stored of worker.posts) {
      const page = await browser.context.newPage()
      const images: { status: number; from: string | null }[] = []
      page.on('response', (response) => {
        if (new URL(response.url()).pathname.startsWith('/img/'))
          images.push({ status: response.status(), from: response.headers()['server-timing'] ?? null })
      })
      await page.goto(`${worker.url}${stored.url}`, { waitUntil: 'load' })
      // Images are loading="lazy": bring each into view, then wait for all to settle.
      await page.$$eval('article img', (imgs) => {
        for (const img of imgs) img.scrollIntoView()
      })
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll('article img')).every((img) => (img as HTMLImageElement).complete),
      )
      const loaded = await page.$$eval('article img', (imgs) =>
        imgs.map((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
      )
      expect(loaded.length, stored.url).toBeGreaterThan(0)
      expect(loaded, stored.url).toEqual(loaded.map(() => true))
      expect(images.length, stored.url).toBeGreaterThanOrEqual(loaded.length)
      for (const image of images) expect(image).toEqual({ status: 200, from: 'image;desc="archive"' })
      await page.close()
    }
  } finally {
    await browser.close()
  }
})
