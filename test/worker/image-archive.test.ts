/// <reference types="@cloudflare/vitest-plugin/types" />
/**
 * The image archive in workerd: capture through POST /_images/capture, the
 * proxy serving from R2, write-through on first view, against a real HTTP
 * origin on 127.0.0.1 (test/support/image-origin.ts) and the real R2 binding
 * (Miniflare). R2 is shared by the tests of this file: each names its own
 * source URLs with `?case=…`.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, inject, it } from 'vitest'
import {
  ARCHIVE_ENDPOINTS,
  type CaptureResponse,
  type CaptureResult,
  type IndexEntry,
  indexKey,
  type ListResponse,
  OBJECT_PREFIX,
  objectKey,
  sha256Hex,
} from '../../src/shared/image-archive.ts'
import { imageProxyPath, importImageKey } from '../../src/shared/image-url.ts'
import worker from '../../src/worker/index.ts'
import { bytesOf, ETAG, IMAGES, LAST_MODIFIED, type LoggedRequest } from '../support/image-fixtures.ts'

const origin = inject('imageOrigin')
const SITE = 'https://archive.example'
const TOKEN = env.IMAGE_ARCHIVE_TOKEN
const PNG = bytesOf(IMAGES['photo.png'].base64)
const JPEG = bytesOf(IMAGES['photo.jpg'].base64)

interface Answer {
  status: number
  headers: Headers
  bytes: Uint8Array
  /** The body broke off (an image over the cap without Content-Length). */
  broken: boolean
}

/** A request to the worker, body read, waitUntil work (archive and cache writes) finished. */
async function request(path: string, init: RequestInit = {}, bindings: Partial<Cloudflare.Env> = {}): Promise<Answer> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(new Request(`${SITE}${path}`, init), { ...env, ...bindings }, ctx)
  const body = await response.arrayBuffer().then(
    (buffer) => new Uint8Array(buffer),
    () => null,
  )
  await waitOnExecutionContext(ctx)
  return { status: response.status, headers: response.headers, bytes: body ?? new Uint8Array(), broken: !body }
}

async function capture(urls: string[], bindings: Partial<Cloudflare.Env> = {}): Promise<CaptureResult[]> {
  const answer = await request(
    ARCHIVE_ENDPOINTS.capture,
    { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ urls }) },
    bindings,
  )
  expect(answer.status).toBe(200)
  const response = JSON.parse(new TextDecoder().decode(answer.bytes)) as CaptureResponse
  expect(response.results.map((r) => r.url)).toEqual(urls)
  return response.results
}

async function imagePath(source: string): Promise<string> {
  return imageProxyPath(await importImageKey(env.IMAGE_PROXY_KEY), source)
}

/** The proxy's answer for a source URL. */
async function view(source: string, init?: RequestInit, bindings?: Partial<Cloudflare.Env>): Promise<Answer> {
  return request(await imagePath(source), init, bindings)
}

/** The requests the origin received for exactly this path and query. */
async function originRequests(pathAndQuery: string): Promise<LoggedRequest[]> {
  const log = (await (await fetch(`${origin}/__requests`)).json()) as LoggedRequest[]
  return log.filter((entry) => entry.url === pathAndQuery)
}

/** What the bucket holds for a source URL: its index entry and object, read straight from R2. */
async function archived(source: string): Promise<{ entry: IndexEntry; bytes: Uint8Array; type?: string } | null> {
  const head = await env.IMAGES.head(indexKey(await sha256Hex(source)))
  if (!head) return null
  const entry = head.customMetadata as unknown as IndexEntry
  const object = await env.IMAGES.get(objectKey(entry.sha256))
  if (!object) throw new Error(`index entry for ${source} names a missing object`)
  return { entry, bytes: new Uint8Array(await object.arrayBuffer()), type: object.httpMetadata?.contentType }
}

async function objectKeys(): Promise<string[]> {
  const keys: string[] = []
  let cursor: string | undefined
  do {
    const page = await env.IMAGES.list({ prefix: OBJECT_PREFIX, cursor })
    keys.push(...page.objects.map((o) => o.key))
    cursor = page.truncated ? page.cursor : undefined
  } while (cursor)
  return keys
}

const timing = (answer: Answer) => answer.headers.get('server-timing')

describe('capture', () => {
  it('stores the bytes under their hash and indexes the URL, with type, size, time and validators', async () => {
    const path = '/images/photo.jpg?case=capture'
    const source = `${origin}${path}`
    const [result] = await capture([source])
    const sha256 = await sha256Hex(JPEG)
    expect(result).toEqual({ url: source, status: 'captured', sha256, bytes: JPEG.byteLength, stored: true })

    const stored = await archived(source)
    expect(stored?.bytes).toEqual(JPEG)
    expect(stored?.type).toBe('image/jpeg')
    expect(stored?.entry).toMatchObject({
      url: source,
      sha256,
      type: 'image/jpeg',
      bytes: String(JPEG.byteLength),
      etag: ETAG('photo.jpg'),
      lastModified: LAST_MODIFIED,
    })
    expect(Date.now() - Date.parse(stored?.entry.fetchedAt ?? '')).toBeLessThan(60_000)
    // R2 keeps the checksum it verified the bytes against.
    const object = await env.IMAGES.head(objectKey(sha256))
    expect(object?.checksums.sha256 && [...new Uint8Array(object.checksums.sha256)].length).toBe(32)

    // Captured again: answered from the index, the origin not asked.
    expect(await capture([source])).toEqual([{ url: source, status: 'archived', sha256, bytes: JPEG.byteLength }])
    expect(await originRequests(path)).toHaveLength(1)
  })

  it('stores one object for one image under two URLs', async () => {
    const sources = ['a', 'b'].map((name) => `${origin}/images/photo.png?case=dedup-${name}`)
    const before = await objectKeys()
    const results = await capture(sources)
    const sha256 = await sha256Hex(PNG)
    expect(results).toEqual([
      expect.objectContaining({ status: 'captured', sha256 }),
      expect.objectContaining({ status: 'captured', sha256 }),
    ])
    // Captured at once, either may have written it; exactly one did.
    expect(results.filter((r) => r.status === 'captured' && r.stored)).toHaveLength(
      before.includes(objectKey(sha256)) ? 0 : 1,
    )
    const after = await objectKeys()
    expect(after.filter((key) => key === objectKey(sha256))).toHaveLength(1)
    expect(after.length - before.length).toBe(before.includes(objectKey(sha256)) ? 0 : 1)
    for (const source of sources) expect((await archived(source))?.entry.sha256).toBe(sha256)
  })

  it('refuses what the proxy refuses — private addresses, HTML labelled as an image, images over the cap — and keeps nothing', async () => {
    const port = new URL(origin).port
    const refused: [string, string][] = [
      [`http://10.0.0.1/images/photo.png?case=refused`, '403 source host not allowed'],
      [`http://localhost:${port}/images/photo.png?case=refused`, '403 source host not allowed'],
      [`http://169.254.169.254/latest/meta-data?case=refused`, '403 source host not allowed'],
      [
        `${origin}/redirect-to?url=${encodeURIComponent('http://127.0.0.2/x.png')}&case=refused`,
        '403 source host not allowed',
      ],
      [`${origin}/images/disguised.jpg?case=refused`, '502 upstream sent no image'],
      [`${origin}/images/text.png?case=refused`, '502 upstream sent no image'],
      [`${origin}/images/big.jpg?case=refused`, '413 image too large'],
      [`${origin}/images/big-chunked.jpg?case=refused`, '413 image too large'],
      [`${origin}/images/missing.jpg?case=refused`, '404 image not found upstream'],
    ]
    const before = await objectKeys()
    const results = await capture(
      refused.map(([url]) => url),
      { IMAGE_ARCHIVE_BATCH: String(refused.length) },
    )
    expect(results).toEqual(refused.map(([url, reason]) => ({ url, status: 'failed', reason })))
    for (const [url] of refused) expect(await archived(url)).toBeNull()
    expect(await objectKeys()).toEqual(before)
    // The private hosts were never contacted: nothing reached the origin under another name.
    expect(await originRequests('/images/photo.png?case=refused')).toHaveLength(0)
  })

  it('keeps to its budget: at most IMAGE_ARCHIVE_BATCH images fetched, the rest deferred; archived URLs cost no fetch', async () => {
    const known = `${origin}/images/photo.gif?case=budget-known`
    await capture([known])
    const fresh = ['1', '2', '3'].map((n) => `${origin}/images/photo.webp?case=budget-${n}`)
    const results = await capture([known, ...fresh], { IMAGE_ARCHIVE_BATCH: '2' })
    // Three at once: which of the fresh ones waits depends on timing; two are fetched, whatever the order.
    expect(results[0].status).toBe('archived')
    expect(
      results
        .slice(1)
        .map((r) => r.status)
        .sort(),
    ).toEqual(['captured', 'captured', 'deferred'])
    const deferred = results.find((r) => r.status === 'deferred')?.url ?? ''
    expect(await originRequests(deferred.slice(origin.length))).toHaveLength(0)
    expect(await archived(deferred)).toBeNull()

    // A byte budget below one image: what started at once is read, nothing starts after it.
    const byBytes = ['4', '5', '6', '7', '8'].map((n) => `${origin}/images/photo.webp?case=budget-${n}`)
    const statuses = (await capture(byBytes, { IMAGE_ARCHIVE_BATCH_BYTES: '1' })).map((r) => r.status)
    expect(statuses[0]).toBe('captured')
    expect(statuses.slice(3)).toEqual(['deferred', 'deferred'])
  })
})

describe('serving from the archive', () => {
  it('answers /img/ from R2 with the proxy’s headers, HEAD and conditional requests included, never asking the source', async () => {
    const path = '/images/photo.jpg?case=serve'
    const source = `${origin}${path}`
    await capture([source])

    const answer = await view(source)
    expect(answer.status).toBe(200)
    expect(answer.bytes).toEqual(JPEG)
    expect(timing(answer)).toBe('image;desc="archive"')
    expect(Object.fromEntries(answer.headers)).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': String(JPEG.byteLength),
      etag: ETAG('photo.jpg'),
      'last-modified': LAST_MODIFIED,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    })

    // HEAD and 304s come from the index entry alone.
    await caches.default.delete(new Request(`${SITE}${await imagePath(source)}`))
    const head = await view(source, { method: 'HEAD' })
    expect([head.status, head.bytes.byteLength, timing(head)]).toEqual([200, 0, 'image;desc="archive"'])
    expect(head.headers.get('content-length')).toBe(String(JPEG.byteLength))
    const validations: Record<string, string>[] = [
      { 'if-none-match': ETAG('photo.jpg') },
      { 'if-modified-since': LAST_MODIFIED },
    ]
    for (const headers of validations) {
      const notModified = await view(source, { headers })
      expect(notModified.status).toBe(304)
      expect(notModified.headers.get('etag')).toBe(ETAG('photo.jpg'))
    }
    expect((await view(source, { headers: { 'if-match': '"other"' } })).status).toBe(412)
    expect(await originRequests(path)).toHaveLength(1)
  })

  it('feeds the edge cache from R2, so the next view reads neither', async () => {
    const source = `${origin}/images/photo.png?case=serve-then-cache`
    await capture([source])
    expect(timing(await view(source))).toBe('image;desc="archive"')
    const again = await view(source)
    expect(timing(again)).toBe('image;desc="cache"')
    expect(again.bytes).toEqual(PNG)
  })

  it('writes an image through to R2 on its first view, and serves it from there once the cache forgets it', async () => {
    const path = '/images/photo.webp?case=write-through'
    const source = `${origin}${path}`
    expect(await archived(source)).toBeNull()
    const first = await view(source)
    expect([first.status, timing(first)]).toEqual([200, 'image;desc="source"'])

    const stored = await archived(source)
    expect(stored?.bytes).toEqual(bytesOf(IMAGES['photo.webp'].base64))
    expect(stored?.entry).toMatchObject({ url: source, type: 'image/webp', etag: ETAG('photo.webp') })

    await caches.default.delete(new Request(`${SITE}${await imagePath(source)}`))
    const later = await view(source)
    expect([later.status, timing(later)]).toEqual([200, 'image;desc="archive"'])
    expect(later.bytes).toEqual(first.bytes)
    expect(await originRequests(path)).toHaveLength(1)
    // Deploy's capture finds it archived: nothing fetched again.
    expect((await capture([source]))[0].status).toBe('archived')
    expect(await originRequests(path)).toHaveLength(1)
  })

  it('writes through an image without Content-Length, and never a body that broke off at the cap', async () => {
    const chunked = `${origin}/images/big-chunked.jpg?case=write-through-cap`
    const broken = await view(chunked)
    expect([broken.status, broken.broken]).toEqual([200, true])
    expect(await archived(chunked)).toBeNull()

    const small = `${origin}/images/octet.png?case=write-through-chunked`
    expect((await view(small)).status).toBe(200)
    expect((await archived(small))?.bytes).toEqual(PNG)
  })

  it.each([
    ['404', 'a 404'],
    ['410', 'a 410'],
    ['500', 'a 500'],
    ['503', 'a 503'],
  ])('still serves an image whose source now answers %s', async (status) => {
    const path = `/images/once.png?then=${status}&case=gone-${status}`
    const source = `${origin}${path}`
    expect((await capture([source]))[0].status).toBe('captured')
    // The source has really gone: asked directly, it fails.
    expect((await fetch(source)).status).toBe(Number(status))

    const answer = await view(source)
    expect([answer.status, timing(answer)]).toEqual([200, 'image;desc="archive"'])
    expect(answer.bytes).toEqual(PNG)
    expect(await originRequests(path)).toHaveLength(2)
  })

  it('still serves an image whose source no longer answers at all', async () => {
    const path = '/images/once.png?then=hang&case=gone-timeout'
    const source = `${origin}${path}`
    expect((await capture([source]))[0].status).toBe('captured')
    const fast = { IMAGE_PROXY_TIMEOUT_MS: '300' }
    // Not archived, the same source times out…
    const other = `${origin}/images/once.png?then=hang&case=gone-timeout-unarchived`
    await fetch(other).then((r) => r.arrayBuffer())
    expect((await view(other, {}, fast)).status).toBe(504)
    // …archived, it is served at once.
    const answer = await view(source, {}, fast)
    expect([answer.status, timing(answer)]).toEqual([200, 'image;desc="archive"'])
    expect(answer.bytes).toEqual(PNG)
    expect(await originRequests(path)).toHaveLength(1)
  })
})

describe('the endpoints', () => {
  const endpoints: [string, RequestInit][] = [
    [ARCHIVE_ENDPOINTS.capture, { method: 'POST', body: JSON.stringify({ urls: [] }) }],
    [`${ARCHIVE_ENDPOINTS.list}?prefix=src/`, {}],
    [ARCHIVE_ENDPOINTS.delete, { method: 'POST', body: JSON.stringify({ keys: [] }) }],
  ]

  it('do not exist without IMAGE_ARCHIVE_TOKEN', async () => {
    for (const [path, init] of endpoints) {
      const headers = { authorization: 'Bearer anything' }
      expect((await request(path, { ...init, headers }, { IMAGE_ARCHIVE_TOKEN: '' })).status).toBe(404)
    }
  })

  it('answer 401 without the right bearer token, and fetch nothing', async () => {
    const path = '/images/photo.png?case=unauthorised'
    for (const [endpoint, init] of endpoints) {
      for (const authorization of [undefined, 'Bearer wrong-token', TOKEN, `Basic ${TOKEN}`]) {
        const headers = authorization ? { authorization } : undefined
        const answer = await request(endpoint, { ...init, headers })
        expect(answer.status, `${endpoint} with ${authorization}`).toBe(401)
        expect(answer.headers.get('www-authenticate')).toBe('Bearer')
      }
    }
    const body = JSON.stringify({ urls: [`${origin}${path}`] })
    const wrong = await request(ARCHIVE_ENDPOINTS.capture, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong' },
      body,
    })
    expect(wrong.status).toBe(401)
    expect(await originRequests(path)).toHaveLength(0)
  })

  it('refuse malformed requests with 400', async () => {
    const authorization = `Bearer ${TOKEN}`
    for (const body of [
      'not json',
      '{"urls": "x"}',
      '{"urls": [1]}',
      JSON.stringify({ urls: Array(1001).fill('x') }),
    ]) {
      expect(
        (await request(ARCHIVE_ENDPOINTS.capture, { method: 'POST', headers: { authorization }, body })).status,
      ).toBe(400)
    }
    expect((await request(`${ARCHIVE_ENDPOINTS.list}?prefix=other/`, { headers: { authorization } })).status).toBe(400)
    const foreign = JSON.stringify({ keys: ['deploy/state', `obj/${'0'.repeat(64)}`] })
    expect(
      (await request(ARCHIVE_ENDPOINTS.delete, { method: 'POST', headers: { authorization }, body: foreign })).status,
    ).toBe(400)
  })

  it('list index entries with their object, and delete archive keys', async () => {
    const source = `${origin}/images/photo.gif?case=list-delete`
    const [result] = await capture([source])
    const authorization = `Bearer ${TOKEN}`
    const key = indexKey(await sha256Hex(source))

    const listed: ListResponse['objects'] = []
    let cursor = ''
    do {
      const page = await request(`${ARCHIVE_ENDPOINTS.list}?prefix=src/&cursor=${cursor}`, {
        headers: { authorization },
      })
      const body = JSON.parse(new TextDecoder().decode(page.bytes)) as ListResponse
      listed.push(...body.objects)
      cursor = body.cursor ?? ''
    } while (cursor)
    const entry = listed.find((o) => o.key === key)
    expect(entry).toMatchObject({ key, size: 0, sha256: result.status === 'captured' ? result.sha256 : '' })
    expect(Date.parse(entry?.uploaded ?? '')).toBeGreaterThan(0)

    const deleted = await request(ARCHIVE_ENDPOINTS.delete, {
      method: 'POST',
      headers: { authorization },
      body: JSON.stringify({ keys: [key] }),
    })
    expect(JSON.parse(new TextDecoder().decode(deleted.bytes))).toEqual({ deleted: 1 })
    expect(await archived(source)).toBeNull()
  })
})
