import { describe, expect, it } from 'vitest'
import { CATCH_ALL_TAG, cacheTag, cacheTagHeader, cacheTagsFor } from '../../src/shared/cache-tags.ts'
import { CACHE_POLICIES, cacheControl } from '../../src/worker/cache/cache-policy.ts'
import { evaluatePreconditions } from '../../src/worker/cache/preconditions.ts'
import { parseEtagList, parseHttpDate, strongEtag } from '../../src/worker/cache/validators.ts'

const NOV_6_1994 = Date.UTC(1994, 10, 6, 8, 49, 37)

describe('HTTP dates (RFC 9110 §5.6.7)', () => {
  it('reads all three forms', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(NOV_6_1994)
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', new Date('2026-01-01'))).toBe(NOV_6_1994)
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(NOV_6_1994)
  })

  it('refuses anything else, including lists and impossible dates', () => {
    for (const value of [
      '',
      'yesterday',
      '1994-11-06T08:49:37Z',
      'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT',
      'Sun, 31 Feb 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 25:49:37 GMT',
      'Sun, 06 Xyz 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 UTC',
    ]) {
      expect(parseHttpDate(value), value).toBeNull()
    }
  })
})

describe('entity tags', () => {
  it('are strong, quoted, and change with any part', async () => {
    const etag = await strongEtag(['article', 'v1', 'post:a', '{"x":1}'])
    expect(etag).toMatch(/^"[\w-]{22}"$/)
    expect(await strongEtag(['article', 'v1', 'post:a', '{"x":1}'])).toBe(etag)
    expect(await strongEtag(['article', 'v2', 'post:a', '{"x":1}'])).not.toBe(etag)
    expect(await strongEtag(['article', 'v1', 'post:a', '{"x":2}'])).not.toBe(etag)
    // Parts are delimited: moving text between parts is a different input.
    expect(await strongEtag(['article', 'v1', 'post:a{"x":1}', ''])).not.toBe(etag)
  })

  it('are parsed from lists with weak tags and spaces', () => {
    expect(parseEtagList(' * ')).toBe('*')
    expect(parseEtagList('"a", W/"b" ,"c,d"')).toEqual([
      { weak: false, opaque: '"a"' },
      { weak: true, opaque: '"b"' },
      { weak: false, opaque: '"c,d"' },
    ])
  })
})

describe('preconditions of a GET (RFC 9110 §13.2.2)', () => {
  const current = { etag: '"abc"', lastModified: NOV_6_1994 }
  const evaluate = (headers: Record<string, string>) => evaluatePreconditions(new Headers(headers), current)
  const IMS_SAME = 'Sun, 06 Nov 1994 08:49:37 GMT'
  const IMS_LATER = 'Mon, 07 Nov 1994 00:00:00 GMT'
  const IMS_EARLIER = 'Sat, 05 Nov 1994 00:00:00 GMT'

  it('sends the representation without preconditions', () => {
    expect(evaluate({})).toBe('send')
  })

  it('If-None-Match: a list, weak comparison, and *', () => {
    expect(evaluate({ 'if-none-match': '"abc"' })).toBe('not-modified')
    expect(evaluate({ 'if-none-match': '"x", "abc"' })).toBe('not-modified')
    expect(evaluate({ 'if-none-match': 'W/"abc"' })).toBe('not-modified')
    expect(evaluate({ 'if-none-match': '*' })).toBe('not-modified')
    expect(evaluate({ 'if-none-match': '"x", W/"y"' })).toBe('send')
    expect(evaluate({ 'if-none-match': '"ABC"' })).toBe('send')
  })

  it('If-Modified-Since: not modified at or after the Last-Modified second', () => {
    expect(evaluate({ 'if-modified-since': IMS_SAME })).toBe('not-modified')
    expect(evaluate({ 'if-modified-since': IMS_LATER })).toBe('not-modified')
    expect(evaluate({ 'if-modified-since': IMS_EARLIER })).toBe('send')
    expect(evaluate({ 'if-modified-since': 'not a date' })).toBe('send')
    expect(evaluatePreconditions(new Headers({ 'if-modified-since': IMS_LATER }), { etag: '"abc"' })).toBe('send')
  })

  it('If-None-Match wins over If-Modified-Since', () => {
    expect(evaluate({ 'if-none-match': '"other"', 'if-modified-since': IMS_LATER })).toBe('send')
    expect(evaluate({ 'if-none-match': '"abc"', 'if-modified-since': IMS_EARLIER })).toBe('not-modified')
  })

  it('If-Match (strong comparison) and If-Unmodified-Since fail with 412', () => {
    expect(evaluate({ 'if-match': '"abc"' })).toBe('send')
    expect(evaluate({ 'if-match': '*' })).toBe('send')
    expect(evaluate({ 'if-match': 'W/"abc"' })).toBe('precondition-failed')
    expect(evaluate({ 'if-match': '"x"' })).toBe('precondition-failed')
    expect(evaluate({ 'if-unmodified-since': IMS_EARLIER })).toBe('precondition-failed')
    expect(evaluate({ 'if-unmodified-since': IMS_SAME })).toBe('send')
    // If-Match decides; If-Unmodified-Since is then not looked at.
    expect(evaluate({ 'if-match': '"abc"', 'if-unmodified-since': IMS_EARLIER })).toBe('send')
  })
})

describe('Cache-Control by route kind', () => {
  it('is the table of the README', () => {
    const table = Object.fromEntries(
      Object.keys(CACHE_POLICIES).map((kind) => [kind, cacheControl(kind as keyof typeof CACHE_POLICIES)]),
    )
    expect(table).toEqual({
      article: {
        browser: 'public, max-age=300',
        edge: 'public, max-age=300, stale-while-revalidate=86400, stale-if-error=86400',
      },
      listing: {
        browser: 'public, max-age=60',
        edge: 'public, max-age=60, stale-while-revalidate=3600, stale-if-error=3600',
      },
      feed: {
        browser: 'public, max-age=120',
        edge: 'public, max-age=120, stale-while-revalidate=3600, stale-if-error=3600',
      },
      sitemap: {
        browser: 'public, max-age=300',
        edge: 'public, max-age=300, stale-while-revalidate=86400, stale-if-error=86400',
      },
      robots: {
        browser: 'public, max-age=86400',
        edge: 'public, max-age=86400, stale-while-revalidate=86400, stale-if-error=86400',
      },
      redirect: {
        browser: 'public, max-age=3600',
        edge: 'public, max-age=3600, stale-while-revalidate=86400, stale-if-error=86400',
      },
      search: {
        browser: 'public, max-age=60',
        edge: 'public, max-age=60, stale-while-revalidate=3600, stale-if-error=3600',
      },
      'not-found': { browser: 'public, max-age=60' },
      error: { browser: 'no-store' },
    })
  })

  it('never lets a browser serve stale: stale-while-revalidate is for the edge, which deploys purge', () => {
    for (const kind of Object.keys(CACHE_POLICIES) as (keyof typeof CACHE_POLICIES)[]) {
      expect(cacheControl(kind).browser).not.toMatch(/stale/)
    }
  })
})

describe('cache tags', () => {
  it('are the KV keys, header-safe', () => {
    expect(cacheTag('post:2022-11-15-title')).toBe('post:2022-11-15-title')
    expect(cacheTag('list:tag:中国')).toBe('list:tag:%E4%B8%AD%E5%9B%BD')
    expect(cacheTag('list:tag:a, b%')).toBe('list:tag:a%2C%20b%25')
    expect(cacheTag('list:tag:𝄞')).toBe('list:tag:%F0%9D%84%9E')
  })

  it('to purge after a deploy: one per changed key, plus the catch-all, none for no change', () => {
    expect(cacheTagsFor(['post:b', 'list:tag:中国', 'post:b'])).toEqual([
      'list:tag:%E4%B8%AD%E5%9B%BD',
      'post:b',
      CATCH_ALL_TAG,
    ])
    expect(cacheTagsFor([])).toEqual([])
  })

  it('fall back to the catch-all when a response was built from too many keys for the header', () => {
    expect(cacheTagHeader(['post:b', 'post:a', 'post:a'])).toBe('post:a,post:b')
    const many = Array.from({ length: 2000 }, (_, i) => `post:2020-01-01-a-long-enough-slug-${i}`)
    expect(cacheTagHeader(many)).toBe(CATCH_ALL_TAG)
  })
})
