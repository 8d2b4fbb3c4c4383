/**
 * The render cache's first level, in this isolate's memory (isolate-cache.ts):
 * a hot page answered without the Cache API, bounded by bytes, and under the
 * same freshness and purge rules as the Cache API's copy.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { cacheTag } from '../../src/shared/cache-tags.ts'
import { keys } from '../../src/shared/schema.ts'
import { type CachedPage, IsolateCache } from '../../src/worker/cache/isolate-cache.ts'
import { later, pick, putTestPost, Site, seed, VALIDATORS } from './cache-site.ts'
import { loadSite } from './load-site.ts'

beforeAll(loadSite)

/** Every call the worker makes to the runtime's cache (`caches.default`), by method. */
const cacheApi: string[] = []
beforeEach(() => {
  cacheApi.length = 0
  for (const method of ['match', 'put', 'delete'] as const) {
    const original = caches.default[method].bind(caches.default) as (...args: unknown[]) => Promise<unknown>
    vi.spyOn(caches.default, method).mockImplementation(((...args: unknown[]) => {
      cacheApi.push(method)
      return original(...args)
    }) as never)
  }
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

const matches = () => cacheApi.filter((call) => call === 'match').length

describe('a hot page', () => {
  it('is answered from memory: no KV read, no render, no call to the Cache API', async () => {
    const site = new Site()
    const miss = await site.fetch(seed().url)
    expect(miss.cache).toBe('miss, render')
    expect(cacheApi).toEqual(['match', 'put'])

    cacheApi.length = 0
    for (let i = 0; i < 3; i++) {
      const hit = await site.fetch(seed().url)
      expect(hit).toMatchObject({ status: 200, cache: 'hit', kvReads: 0, body: miss.body })
      expect(pick(hit.headers, [...VALIDATORS, 'content-length'])).toEqual(
        pick(miss.headers, [...VALIDATORS, 'content-length']),
      )
    }
    expect(cacheApi).toEqual([])
  })

  it('answers HEAD and conditional requests from memory, with one evaluation of the preconditions', async () => {
    const site = new Site()
    const full = await site.fetch(seed().url)
    const etag = full.headers.get('etag')!
    const lastModified = full.headers.get('last-modified')!
    cacheApi.length = 0

    const head = await site.fetch(seed().url, { method: 'HEAD' })
    expect(head).toMatchObject({ status: 200, body: '', cache: 'hit' })
    expect(head.headers.get('content-length')).toBe(full.headers.get('content-length'))
    const conditions: Record<string, string>[] = [
      { 'if-none-match': etag },
      { 'if-none-match': `"x", W/${etag}` },
      { 'if-modified-since': lastModified },
    ]
    for (const headers of conditions) {
      const revalidation = await site.fetch(seed().url, { headers })
      expect(revalidation, JSON.stringify(headers)).toMatchObject({ status: 304, body: '', cache: 'hit', kvReads: 0 })
      expect(pick(revalidation.headers, VALIDATORS)).toEqual(pick(full.headers, VALIDATORS))
    }
    expect((await site.fetch(seed().url, { headers: { 'if-none-match': '"other"' } })).status).toBe(200)
    expect((await site.fetch(seed().url, { headers: { 'if-match': '"other"' } })).status).toBe(412)
    expect(cacheApi).toEqual([])
  })

  it('is not served past its max-age: a changed post is rendered again', async () => {
    const path = await putTestPost('2001-03-01-hot-changing')
    const site = new Site()
    const before = await site.fetch(path)
    await putTestPost('2001-03-01-hot-changing', { title: 'Changed while hot' })
    later(299)
    const young = await site.fetch(path)
    expect(young).toMatchObject({ cache: 'hit', kvReads: 0, body: before.body })
    expect(young.headers.get('age')).toBe('299')
    later(1)
    const updated = await site.fetch(path)
    expect(updated.cache).toBe('updated, render')
    expect(updated.body).toContain('Changed while hot')
    expect(updated.headers.get('etag')).not.toBe(before.headers.get('etag'))
    // The new version is hot in turn.
    cacheApi.length = 0
    expect(await site.fetch(path)).toMatchObject({ cache: 'hit', kvReads: 0, body: updated.body })
    expect(cacheApi).toEqual([])
  })

  it('is revalidated once stale, and an unchanged page is fresh in memory again without a render', async () => {
    const path = await putTestPost('2001-03-02-hot-unchanged')
    const site = new Site()
    const first = await site.fetch(path)
    later(301)
    expect(await site.fetch(path)).toMatchObject({ cache: 'revalidated', kvReads: 1, body: first.body })
    cacheApi.length = 0
    expect(await site.fetch(path)).toMatchObject({ cache: 'hit', kvReads: 0 })
    expect(cacheApi).toEqual([])
  })
})

describe('purges reach memory', () => {
  it('a tag purge makes the next request read KV and render the changed post', async () => {
    const path = await putTestPost('2001-03-03-hot-purged')
    const other = await putTestPost('2001-03-03-hot-bystander')
    const site = new Site()
    await site.fetch(path)
    await site.fetch(other)
    await putTestPost('2001-03-03-hot-purged', { title: 'Purged while hot' })
    expect((await site.fetch(path)).body).not.toContain('Purged while hot')

    // Cache tags compare case-insensitively.
    await site.purge({ tags: [cacheTag(keys.post('2001-03-03-HOT-purged'))] })
    const after = await site.fetch(path)
    expect(after).toMatchObject({ cache: 'updated, render', kvReads: 1 })
    expect(after.body).toContain('Purged while hot')
    // A page the purge did not name stays hot.
    cacheApi.length = 0
    expect(await site.fetch(other)).toMatchObject({ cache: 'hit', kvReads: 0 })
    expect(cacheApi).toEqual([])
  })

  it('purging everything sends every page back to KV; unchanged ones are revalidated, not rendered', async () => {
    const path = await putTestPost('2001-03-04-hot-everything')
    const site = new Site()
    await site.fetch(path)
    await site.fetch('/')
    await site.purge({ purgeEverything: true })
    expect(await site.fetch(path)).toMatchObject({ cache: 'revalidated', kvReads: 1 })
    expect((await site.fetch('/')).cache).toBe('revalidated')
  })
})

describe('where it steps aside', () => {
  it('with Workers Cache in front, a page held in memory is not served: the request renders', async () => {
    const site = new Site()
    await site.fetch(seed().url)
    expect((await site.fetch(seed().url)).cache).toBe('hit')
    const edge: CacheContext = {
      purge: async () => ({ success: true, errors: [] }),
      invalidate: async () => ({ success: true, errors: [] }),
    }
    const behindEdge = new Site({ origin: site.origin, workersCache: edge })
    cacheApi.length = 0
    const response = await behindEdge.fetch(seed().url)
    expect(response).toMatchObject({ status: 200, kvReads: 1, cache: null })
    expect(cacheApi).toEqual([])
  })

  it('with RENDER_CACHE=off, nothing is held', async () => {
    const site = new Site({ env: { RENDER_CACHE: 'off' } })
    for (let i = 0; i < 2; i++) expect(await site.fetch(seed().url)).toMatchObject({ kvReads: 1, cache: null })
    expect(cacheApi).toEqual([])
  })
})

describe('a page too large to hold in memory', () => {
  it('is still served from the Cache API', async () => {
    // Over the largest entry memory keeps (1 MiB of the 8 MiB), as text a browser sees.
    const html = `<p>${'大'.repeat(400_000)}</p>`
    const path = await putTestPost('2001-03-05-too-large', { html })
    const site = new Site()
    const miss = await site.fetch(path)
    expect(Number(miss.headers.get('content-length'))).toBeGreaterThan(1024 * 1024)
    cacheApi.length = 0
    const hit = await site.fetch(path)
    expect(hit).toMatchObject({ cache: 'hit', kvReads: 0, body: miss.body })
    expect(matches()).toBe(1)
  })
})

describe('IsolateCache, the byte bound', () => {
  const page = (bodyBytes: number, tag = 'post:x'): CachedPage => ({
    status: 200,
    headers: new Headers({ 'cache-tag': tag }),
    body: new ArrayBuffer(bodyBytes),
    storedAt: 0,
    freshUntil: 1,
    keepSeconds: 1,
    tags: [tag],
  })

  it('counts what it holds, and evicts the least recently used first', () => {
    const cache = new IsolateCache(10_000, 5_000)
    cache.set('a', page(2_000))
    cache.set('b', page(2_000))
    cache.set('c', page(2_000))
    const three = cache.bytes
    expect(three).toBeGreaterThan(6_000)
    expect(three).toBeLessThanOrEqual(10_000)
    // Using `a` makes `b` the oldest.
    expect(cache.get('a')).toBeDefined()
    cache.set('d', page(3_000))
    expect(cache.get('b')).toBeUndefined()
    for (const key of ['a', 'c', 'd']) expect(cache.get(key), key).toBeDefined()
    expect(cache.bytes).toBeLessThanOrEqual(10_000)
  })

  it('replaces an entry without counting it twice, and refuses one over the entry limit', () => {
    const cache = new IsolateCache(10_000, 5_000)
    cache.set('a', page(2_000))
    const one = cache.bytes
    cache.set('a', page(2_000))
    expect(cache.bytes).toBe(one)
    cache.set('huge', page(6_000))
    expect(cache.get('huge')).toBeUndefined()
    expect(cache.bytes).toBe(one)
    cache.delete('a')
    expect(cache.bytes).toBe(0)
  })
})
