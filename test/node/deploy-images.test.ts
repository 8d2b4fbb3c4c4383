/**
 * The deploy's image-archive phase end to end: real posts built from a content
 * folder, deployed into a KV store in memory, their images captured by the
 * worker itself (the bundle `wrangler deploy` would upload, in workerd through
 * Miniflare, with its R2 bucket) from an image origin on 127.0.0.1. What the
 * origin saw and what the bucket holds are the truth the tests measure.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bundleWorker } from '../../bench/bundle.ts'
import { type LocalWorkerd, startWorkerd } from '../../bench/workerd.ts'
import { parseRecord } from '../../src/deploy/image-archive/record.ts'
import { archiveEndpoints } from '../../src/deploy/image-archive/worker-client.ts'
import { MemoryStore } from '../../src/deploy/memory-store.ts'
import { type DeployTarget, deployTo, type RunDeployOptions } from '../../src/deploy/run-deploy.ts'
import { INDEX_PREFIX, OBJECT_PREFIX } from '../../src/shared/image-archive.ts'
import { keys } from '../../src/shared/schema.ts'
import { bytesOf, IMAGES } from '../support/image-fixtures.ts'
import { type ImageOrigin, startImageOrigin } from '../support/image-origin.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'

const TOKEN = 'archive-token-for-tests'
const PNG = bytesOf(IMAGES['photo.png'].base64)

/** `/pics/<name>.png`: a PNG whose bytes differ by name (a trailer after IEND); names in `failing` answer 404. */
const failing = new Set<string>()
let origin: ImageOrigin
let worker: LocalWorkerd
const tmp = mkdtempSync(join(tmpdir(), 'deploy-images-'))

beforeAll(async () => {
  origin = await startImageOrigin((_req, res, { url }) => {
    const name = /^\/pics\/([a-z0-9-]+)\.png$/.exec(url.pathname)?.[1]
    if (!name || failing.has(name)) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      return void res.end('gone')
    }
    const body = Buffer.concat([PNG, Buffer.from(name)])
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.byteLength })
    res.end(body)
  })
  const bundle = await bundleWorker('wrangler.toml', join(tmp, 'bundle'))
  worker = await startWorkerd({
    script: bundle.script,
    vars: {
      IMAGE_PROXY_KEY: 'k'.repeat(32),
      IMAGE_ARCHIVE_TOKEN: TOKEN,
      IMAGE_PROXY_ALLOW_HOSTS: origin.host,
    },
    persistTo: join(tmp, 'state'),
    port: 0,
  })
}, 120_000)

afterAll(async () => {
  await worker?.dispose()
  await origin?.close()
})

const pic = (name: string) => `${origin.url}/pics/${name}.png`

/** A post whose body shows these images (the first also as a srcset candidate of another). */
function postWith(title: string, day: number, images: string[]): string {
  const body = images.map((name) => `<p><img src="${pic(name)}" alt="${name}"></p>`).join('\n')
  return postSource(
    { ...validFields, title: `"${title}"`, date: `2030-01-${String(day).padStart(2, '0')}T00:00:00.000Z` },
    `<p>${title} text.</p>\n${body}\n`,
  )
}

/** A site and the store it deploys to; each deploy prints its report, kept here. */
class Site {
  readonly dir: string
  readonly store = new MemoryStore()
  readonly target: DeployTarget

  constructor(posts: Record<string, string>) {
    this.dir = contentFolder(posts)
    this.target = { store: this.store, ...archiveEndpoints(worker.url, TOKEN), close: async () => {} }
  }

  write(name: string, text: string) {
    writeFileSync(join(this.dir, 'posts', name), text)
  }

  async deploy(more: Partial<RunDeployOptions> = {}): Promise<string[]> {
    const lines: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)))
    const errors: string[] = []
    const err = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(String(line)))
    try {
      const ok = await deployTo(this.target, {
        content: this.dir,
        out: join(this.dir, 'dist'),
        skipInvalid: false,
        skipCode: true,
        journalDir: join(this.dir, 'journal'),
        ...more,
      })
      expect(ok, errors.join('\n')).toBe(true)
    } finally {
      log.mockRestore()
      err.mockRestore()
    }
    return lines.filter((line) => line.includes('images') || line.includes('failed'))
  }

  record() {
    return parseRecord(this.store.values.get(keys.deployImages) ?? null)
  }
}

/** How often the origin was asked for each picture (by this test's names). */
function fetchesOf(names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, origin.log.filter((r) => r.url === `/pics/${name}.png`).length]))
}

async function bucketKeys(prefix: string): Promise<string[]> {
  const { bucket } = archiveEndpoints(worker.url, TOKEN)
  return (await bucket.list(prefix)).objects.map((o) => o.key)
}

describe('deploy captures post images through the worker', () => {
  it('captures every image once; a second deploy captures nothing; a new post captures exactly its new image', async () => {
    const site = new Site({
      '2030-01-01-one.md': postWith('One', 1, ['a1', 'a2']),
      '2030-01-02-two.md': postWith('Two', 2, ['a3', 'a1']),
    })
    const indexBefore = (await bucketKeys(INDEX_PREFIX)).length
    const first = await site.deploy()
    // Bytes added: the three distinct bodies the origin sent.
    const bytes = 3 * (PNG.byteLength + 'a1'.length)
    expect(first[0]).toMatch(new RegExp(`^images: 3 captured \\(\\+${bytes} B\\), 0 already archived, 0 failed in `))
    expect(fetchesOf(['a1', 'a2', 'a3'])).toEqual({ a1: 1, a2: 1, a3: 1 })
    expect((await bucketKeys(INDEX_PREFIX)).length).toBe(indexBefore + 3)
    expect([site.record().archived.size, site.record().pending.size]).toEqual([3, 0])

    const requestsBefore = origin.log.length
    expect(await site.deploy()).toEqual(['images: nothing to capture'])
    expect(origin.log.length).toBe(requestsBefore)

    site.write('2030-01-03-three.md', postWith('Three', 3, ['a2', 'a4']))
    const third = await site.deploy()
    expect(third[0]).toMatch(/^images: 1 captured/)
    expect(fetchesOf(['a1', 'a2', 'a3', 'a4'])).toEqual({ a1: 1, a2: 1, a3: 1, a4: 1 })
    expect(origin.log.length).toBe(requestsBefore + 1)
  })

  it('reports a failed capture with its reason and tries it again on the next deploy', async () => {
    failing.add('b2')
    const site = new Site({ '2030-01-01-one.md': postWith('One', 1, ['b1', 'b2']) })
    const objectsBefore = (await bucketKeys(OBJECT_PREFIX)).length
    const first = await site.deploy()
    expect(first[0]).toMatch(/^images: 1 captured .* 1 failed \(404 /)
    expect(first[1]).toBe(`  failed (try 1 of 4): ${pic('b2')}: ${first[1].split(': ').at(-1)}`)
    expect(first[1]).toMatch(/: 404 /)
    expect(site.record().pending.get(pic('b2'))).toMatchObject({ attempts: 1 })
    expect((await bucketKeys(OBJECT_PREFIX)).length).toBe(objectsBefore + 1)

    failing.delete('b2')
    const second = await site.deploy()
    expect(second[0]).toMatch(/^images: 1 captured .* 0 failed/)
    expect(fetchesOf(['b1', 'b2'])).toEqual({ b1: 1, b2: 2 })
    expect([site.record().archived.size, site.record().pending.size]).toEqual([2, 0])
    expect((await bucketKeys(OBJECT_PREFIX)).length).toBe(objectsBefore + 2)
  })

  it('brings back the images of unchanged posts when the record is lost, and the worker answers them archived', async () => {
    const site = new Site({ '2030-01-01-one.md': postWith('One', 1, ['c1']) })
    await site.deploy()
    site.store.values.delete(keys.deployImages)
    const again = await site.deploy()
    expect(again[0]).toMatch(/^images: 0 captured .* 1 already archived/)
    expect(fetchesOf(['c1'])).toEqual({ c1: 1 })
    expect(site.record().archived.size).toBe(1)
  })

  // Last: the bucket is shared by this file's tests, and a prune keeps only what this site shows.
  it('--prune-images lists (with --dry-run), then removes, what no post shows, keeping what one does', async () => {
    const site = new Site({ '2030-01-01-one.md': postWith('One', 1, ['d1', 'd2']) })
    await site.deploy()
    site.write('2030-01-01-one.md', postWith('One', 1, ['d1']))
    const entries = (await bucketKeys(INDEX_PREFIX)).length
    const objects = (await bucketKeys(OBJECT_PREFIX)).length
    const listed = await site.deploy({ pruneImages: true, dryRun: true })
    expect(listed).toContain(
      `images: would prune ${entries - 1} source URLs no post shows and ${objects - 1} objects (${(objects - 1) * (PNG.byteLength + 2)} B)`,
    )
    expect([(await bucketKeys(INDEX_PREFIX)).length, (await bucketKeys(OBJECT_PREFIX)).length]).toEqual([
      entries,
      objects,
    ])

    const pruned = await site.deploy({ pruneImages: true })
    expect(pruned.some((line) => line.startsWith(`images: pruned ${entries - 1} source URLs`))).toBe(true)
    expect((await bucketKeys(INDEX_PREFIX)).length).toBe(1)
    const [object] = await bucketKeys(OBJECT_PREFIX)
    const served = await fetch(new URL(`/_images/list?prefix=src/`, worker.url), {
      headers: { authorization: `Bearer ${TOKEN}` },
    }).then((r) => r.json() as Promise<{ objects: { sha256: string }[] }>)
    expect(`obj/${served.objects[0].sha256}`).toBe(object)
    expect(site.record().archived.size).toBe(1)
    expect(fetchesOf(['d1', 'd2'])).toEqual({ d1: 1, d2: 1 })
  })
})
