import { env } from 'cloudflare:workers'
import { parseHTML } from 'linkedom'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { cacheTag, cacheTagsFor } from '../../src/shared/cache-tags.ts'
import { fullChunks, HOME, listingId } from '../../src/shared/listings.ts'
import { keys, type ListingHead, type StoredPost } from '../../src/shared/schema.ts'
import { later, pick, putTestPost, Site, seed, VALIDATORS } from './cache-site.ts'
import { loadSite } from './load-site.ts'

beforeAll(loadSite)
afterEach(() => vi.useRealTimers())

describe('an article', () => {
  it('carries a strong ETag, Last-Modified from its date, the article policy and its cache tag', async () => {
    const site = new Site()
    const { status, headers, body } = await site.fetch(seed().url)
    expect(status).toBe(200)
    expect(headers.get('etag')).toMatch(/^"[\w-]{22}"$/)
    expect(headers.get('last-modified')).toBe(new Date(seed().date).toUTCString())
    expect(headers.get('cache-control')).toBe('public, max-age=300')
    expect(headers.get('cdn-cache-control')).toBe(
      'public, max-age=300, stale-while-revalidate=86400, stale-if-error=86400',
    )
    expect(headers.get('cache-tag')).toBe(cacheTag(keys.post(seed().slug)))
    expect(Number(headers.get('content-length'))).toBe(new TextEncoder().encode(body).byteLength)
    // Nothing varies by request header.
    expect(headers.get('vary')).toBeNull()
  })

  it('has one ETag for every reader, and a new one when the stored post changes', async () => {
    const path = await putTestPost('2001-02-03-etag-test')
    const site = new Site({ env: { RENDER_CACHE: 'off' } })
    const first = await site.fetch(path)
    expect((await site.fetch(path)).headers.get('etag')).toBe(first.headers.get('etag'))
    await putTestPost('2001-02-03-etag-test', { title: 'A new title' })
    const changed = await site.fetch(path)
    expect(changed.body).toContain('A new title')
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'))
  })

  it('has another ETag on another host, whose name the page shows', async () => {
    const [one, other] = [new Site(), new Site()]
    const [a, b] = [await one.fetch(seed().url), await other.fetch(seed().url)]
    expect(a.body).toContain(one.origin)
    expect(b.headers.get('etag')).not.toBe(a.headers.get('etag'))
  })

  it('has a new ETag, and a new render-cache entry, under a new Worker version (code or configuration)', async () => {
    const site = new Site()
    const current = await site.fetch(seed().url)
    const next = new Site({
      origin: site.origin,
      env: { CF_VERSION_METADATA: { id: 'next-version', tag: '', timestamp: '' } },
    })
    const underNext = await next.fetch(seed().url)
    expect(env.CF_VERSION_METADATA?.id).toMatch(/^[\w-]+$/)
    expect(underNext.cache).toBe('miss, render')
    expect(underNext.body).toBe(current.body)
    expect(underNext.headers.get('etag')).not.toBe(current.headers.get('etag'))
  })

  it('answers If-None-Match (one tag, a list, a weak tag, *) with an empty 304 and the same validators', async () => {
    const site = new Site()
    const full = await site.fetch(seed().url)
    const etag = full.headers.get('etag')!
    for (const ifNoneMatch of [etag, `"nope", ${etag}`, `W/${etag}`, '*']) {
      const { status, body, headers } = await site.fetch(seed().url, { headers: { 'if-none-match': ifNoneMatch } })
      expect(status, ifNoneMatch).toBe(304)
      expect(body).toBe('')
      expect(pick(headers, VALIDATORS)).toEqual(pick(full.headers, VALIDATORS))
    }
    const other = await site.fetch(seed().url, { headers: { 'if-none-match': '"nope", W/"other"' } })
    expect(other.status).toBe(200)
    expect(other.body).toBe(full.body)
  })

  it('answers If-Modified-Since alone, but lets If-None-Match win over it', async () => {
    const site = new Site()
    const lastModified = (await site.fetch(seed().url)).headers.get('last-modified')!
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString()
    expect((await site.fetch(seed().url, { headers: { 'if-modified-since': lastModified } })).status).toBe(304)
    expect((await site.fetch(seed().url, { headers: { 'if-modified-since': earlier } })).status).toBe(200)
    expect((await site.fetch(seed().url, { headers: { 'if-modified-since': 'garbage' } })).status).toBe(200)
    const both = await site.fetch(seed().url, {
      headers: { 'if-modified-since': lastModified, 'if-none-match': '"stale"' },
    })
    expect(both.status).toBe(200)
  })

  it('fails If-Match with 412', async () => {
    const site = new Site()
    const failed = await site.fetch(seed().url, { headers: { 'if-match': '"other"' } })
    expect(failed.status).toBe(412)
    expect(failed.headers.get('cache-control')).toBe('no-store')
  })

  it('answers HEAD exactly like GET, without a body, cached or not', async () => {
    const headFirst = new Site()
    const head = await headFirst.fetch(seed().url, { method: 'HEAD' })
    const get = await headFirst.fetch(seed().url)
    const headHit = await headFirst.fetch(seed().url, { method: 'HEAD' })
    const comparable = (h: Headers) => [...h].filter(([name]) => !['date', 'age', 'server-timing'].includes(name))
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    expect(headHit.body).toBe('')
    expect(comparable(head.headers)).toEqual(comparable(get.headers))
    expect(comparable(headHit.headers)).toEqual(comparable(get.headers))
    const conditional = await headFirst.fetch(seed().url, {
      method: 'HEAD',
      headers: { 'if-none-match': get.headers.get('etag')! },
    })
    expect(conditional.status).toBe(304)
  })

  it('redirects the bare URL permanently, cacheably', async () => {
    const { status, headers } = await new Site().fetch(seed().url.slice(0, -1), { redirect: 'manual' })
    expect(status).toBe(301)
    expect(headers.get('cache-control')).toBe('public, max-age=3600')
    expect(headers.get('etag')).toMatch(/^"/)
  })
})

describe('error pages', () => {
  it('404: briefly cacheable, tagged with the key that was missing, and deaf to preconditions', async () => {
    const site = new Site()
    const { status, headers } = await site.fetch('/2022/11/15/no-such-post/', { headers: { 'if-none-match': '*' } })
    expect(status).toBe(404)
    expect(headers.get('cache-control')).toBe('public, max-age=60')
    expect(headers.get('cdn-cache-control')).toBeNull()
    expect(headers.get('cache-tag')).toBe(cacheTag(keys.post('2022-11-15-no-such-post')))
  })

  it('500: no-store, and never served from the cache', async () => {
    await env.POSTS.put(keys.post('2001-01-03-corrupt'), '{"schema":1,"title":')
    const site = new Site()
    const first = await site.fetch('/2001/01/03/corrupt/')
    const second = await site.fetch('/2001/01/03/corrupt/')
    for (const { status, headers, cache, kvReads } of [first, second]) {
      expect(status).toBe(500)
      expect(headers.get('cache-control')).toBe('no-store')
      expect(headers.get('cache-tag')).toBeNull()
      expect(cache).toBe('miss, render')
      expect(kvReads).toBe(1)
    }
  })
})

describe("the worker's render cache (where Workers Cache does not act)", () => {
  it('serves a hit with no KV read and no render', async () => {
    const site = new Site()
    const miss = await site.fetch(seed().url)
    expect(miss.cache).toBe('miss, render')
    expect(miss.kvReads).toBeGreaterThan(0)

    const hit = await site.fetch(seed().url)
    expect(hit.cache).toBe('hit')
    expect(hit.kvReads).toBe(0)
    expect(hit.body).toBe(miss.body)
    expect(pick(hit.headers, VALIDATORS)).toEqual(pick(miss.headers, VALIDATORS))
    expect(Number(hit.headers.get('age'))).toBeGreaterThanOrEqual(0)

    const conditionalHit = await site.fetch(seed().url, { headers: { 'if-none-match': miss.headers.get('etag')! } })
    expect(conditionalHit).toMatchObject({ status: 304, body: '', kvReads: 0, cache: 'hit' })
  })

  it('is not used with RENDER_CACHE=off, and the validators stay', async () => {
    const site = new Site({ env: { RENDER_CACHE: 'off' } })
    for (let i = 0; i < 2; i++) {
      const { kvReads, cache, headers } = await site.fetch(seed().url)
      expect(kvReads).toBe(1)
      expect(cache).toBeNull()
      expect(headers.get('etag')).toMatch(/^"/)
    }
  })

  it('keeps internal bookkeeping out of responses', async () => {
    const site = new Site()
    await site.fetch(seed().url)
    const hit = await site.fetch(seed().url)
    expect([...hit.headers.keys()].filter((name) => name.startsWith('x-render-cache'))).toEqual([])
  })

  it('stores a 404 too, so unknown URLs do not reach KV every time', async () => {
    const site = new Site()
    expect((await site.fetch('/1999/01/01/never/')).cache).toBe('miss, render')
    const hit = await site.fetch('/1999/01/01/never/')
    expect(hit).toMatchObject({ status: 404, cache: 'hit', kvReads: 0 })
  })

  it('revalidates an unchanged page once it is stale: one KV read, no render', async () => {
    const path = await putTestPost('2001-02-04-unchanged')
    const site = new Site()
    const first = await site.fetch(path)
    later(301)
    const revalidated = await site.fetch(path)
    expect(revalidated).toMatchObject({ status: 200, cache: 'revalidated', kvReads: 1, body: first.body })
    expect(revalidated.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(revalidated.headers.get('age')).toBe('0')
    // Fresh again from now.
    expect(await site.fetch(path)).toMatchObject({ cache: 'hit', kvReads: 0 })
  })

  it('answers a client precondition while revalidating, against the current version', async () => {
    const path = await putTestPost('2001-02-06-conditional')
    const site = new Site()
    const first = await site.fetch(path)
    later(301)
    const conditional = await site.fetch(path, { headers: { 'if-none-match': first.headers.get('etag')! } })
    expect(conditional).toMatchObject({ status: 304, body: '', cache: 'revalidated', kvReads: 1 })
  })
})

describe('purge and invalidate (what deploy calls)', () => {
  it('makes the next request see a changed post at once, rendered once', async () => {
    const path = await putTestPost('2001-02-07-purged')
    const site = new Site()
    await site.fetch(path)
    await putTestPost('2001-02-07-purged', { title: 'Purged title' })
    expect((await site.fetch(path)).body).not.toContain('Purged title')

    const purge = await site.purge({ tags: [cacheTag(keys.post('2001-02-07-purged'))] })
    expect(purge.status).toBe(200)
    expect(JSON.parse(purge.body)).toEqual({ success: true, errors: [], scope: 'isolate' })
    const after = await site.fetch(path)
    expect(after.cache).toBe('updated, render')
    expect(after.body).toContain('Purged title')
    expect((await site.fetch(path)).cache).toBe('hit')
  })

  it('turns a deleted post into a 404 at once', async () => {
    const path = await putTestPost('2001-02-08-deleted')
    const site = new Site()
    expect((await site.fetch(path)).status).toBe(200)
    await env.POSTS.delete(keys.post('2001-02-08-deleted'))
    await site.purge({ tags: [cacheTag(keys.post('2001-02-08-deleted'))] }, 'invalidate')
    expect((await site.fetch(path)).status).toBe(404)
  })

  it('lets an unchanged page revalidate without a render', async () => {
    const path = await putTestPost('2001-02-09-unchanged')
    const site = new Site()
    await site.fetch(path)
    await site.purge({ purgeEverything: true })
    expect(await site.fetch(path)).toMatchObject({ cache: 'revalidated', kvReads: 1 })
  })

  it('does not exist without its secret, and refuses a wrong token or a bad body', async () => {
    expect((await new Site({ env: { CACHE_PURGE_TOKEN: undefined } }).purge({ purgeEverything: true })).status).toBe(
      404,
    )
    const site = new Site()
    const wrong = await site.purge({ purgeEverything: true }, 'purge', 'wrong')
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer')
    for (const body of [
      {},
      { tags: [] },
      { tags: ['a b'] },
      { tags: ['a,b'] },
      { tags: [1] },
      { purgeEverything: false },
      { tags: ['a'], purgeEverything: true },
    ]) {
      expect((await site.purge(body)).status, JSON.stringify(body)).toBe(400)
    }
    expect((await site.fetch('/_cache/purge')).status).toBe(404)
  })
})

describe('with Workers Cache in front of the worker', () => {
  /** Records what the worker asks of `ctx.cache`; Miniflare has no Workers Cache to ask. */
  function recordingWorkersCache(success = true) {
    const calls: [string, CachePurgeOptions][] = []
    const result = { success, errors: success ? [] : [{ code: 1, message: 'upstream failed' }] }
    const cache: CacheContext = {
      purge: async (options) => {
        calls.push(['purge', options])
        return result
      },
      invalidate: async (options) => {
        calls.push(['invalidate', options])
        return result
      },
    }
    return { cache, calls }
  }

  it('keeps no cache of its own (purges could not reach it), and still sends every validator', async () => {
    const site = new Site({ workersCache: recordingWorkersCache().cache })
    for (let i = 0; i < 2; i++) {
      const { status, kvReads, cache, headers } = await site.fetch(seed().url)
      expect(status).toBe(200)
      expect(kvReads).toBe(1)
      expect(cache).toBeNull()
      expect(headers.get('cache-tag')).toBe(cacheTag(keys.post(seed().slug)))
    }
  })

  it('answers its revalidation (If-None-Match with the cached ETag) with a 304 and no render', async () => {
    const site = new Site({ workersCache: recordingWorkersCache().cache })
    const etag = (await site.fetch(seed().url)).headers.get('etag')!
    const revalidation = await site.fetch(seed().url, { headers: { 'if-none-match': etag } })
    expect(revalidation).toMatchObject({ status: 304, body: '', kvReads: 1 })
  })

  it('passes purges and invalidations to ctx.cache, and reports its failures as 502', async () => {
    const edge = recordingWorkersCache()
    const site = new Site({ workersCache: edge.cache })
    const purged = await site.purge({ tags: ['post:a', 'list:home'] })
    expect(JSON.parse(purged.body)).toEqual({ success: true, errors: [], scope: 'workers-cache' })
    await site.purge({ purgeEverything: true }, 'invalidate')
    expect(edge.calls).toEqual([
      ['purge', { tags: ['post:a', 'list:home'] }],
      ['invalidate', { purgeEverything: true }],
    ])
    const failing = new Site({ workersCache: recordingWorkersCache(false).cache })
    expect((await failing.purge({ tags: ['post:a'] })).status).toBe(502)
  })
})

describe('a deploy that removes a post, then purges what it changed', () => {
  const homeKey = keys.listingHead(listingId(HOME))
  const read = async <T>(key: string) => JSON.parse((await env.POSTS.get(key))!) as T

  /** Every page that links `url`: its HTML anchors, or its text for XML feeds. */
  function links(body: string, url: string, html: boolean): boolean {
    if (!html) return body.includes(url)
    return [...parseHTML(body).document.querySelectorAll('a')].some((a) => a.getAttribute('href') === url)
  }

  it('leaves no page linking the removed post, and every such page carried a purged tag', async () => {
    const head = await read<ListingHead>(homeKey)
    const [older, newest] = head.tail.slice(-2)
    const removed = await read<StoredPost>(keys.post(newest!.slug))
    const neighbour = await read<StoredPost>(keys.post(older!.slug))
    // Removing the newest post leaves the home listing's chunks as they are (only its head changes).
    expect(fullChunks({ ...head, count: head.count - 1 })).toBe(fullChunks(head))

    const site = new Site()
    const pages = [
      { path: '/', html: true },
      { path: neighbour.url, html: true },
      { path: '/feed.xml', html: false },
    ]
    const before = await Promise.all(pages.map(async (page) => ({ ...page, ...(await site.fetch(page.path)) })))
    for (const page of before) expect(links(page.body, removed.url, page.html), page.path).toBe(true)

    // The deploy: the new listing and neighbour first, then the removed post goes.
    const originals = await Promise.all(
      [homeKey, keys.post(neighbour.slug), keys.post(removed.slug)].map((k) => env.POSTS.get(k)),
    )
    const changed = [homeKey, keys.post(neighbour.slug), keys.post(removed.slug)]
    try {
      await env.POSTS.put(homeKey, JSON.stringify({ ...head, count: head.count - 1, tail: head.tail.slice(0, -1) }))
      await env.POSTS.put(keys.post(neighbour.slug), JSON.stringify({ ...neighbour, newer: undefined }))
      await env.POSTS.delete(keys.post(removed.slug))

      // Exact purge: each page that linked the post carries a tag of a changed key.
      const purged = cacheTagsFor(changed)
      for (const page of before) {
        const tags = page.headers.get('cache-tag')!.split(',')
        expect(
          tags.some((tag) => purged.includes(tag)),
          page.path,
        ).toBe(true)
      }
      expect((await site.purge({ tags: purged })).status).toBe(200)

      for (const page of pages) {
        const after = await site.fetch(page.path)
        expect(after.status, page.path).toBe(200)
        expect(links(after.body, removed.url, page.html), page.path).toBe(false)
      }
      expect((await site.fetch(removed.url)).status).toBe(404)
    } finally {
      await Promise.all(changed.map((key, i) => env.POSTS.put(key, originals[i]!)))
    }
  })
})
