/// <reference types="@cloudflare/vitest-plugin/types" />
/**
 * The image proxy in workerd against a real HTTP origin on 127.0.0.1
 * (test/support/image-origin.ts). Each test names its own source URLs with
 * `?case=…`, so cache entries and the origin's request log do not mix.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, inject, it } from 'vitest'
import { imageProxyPath, importImageKey, verifyImageProxyPath } from '../../src/shared/image-url.ts'
import worker from '../../src/worker/index.ts'
import {
  ARTICLE_REFERER,
  bytesOf,
  ETAG,
  HTML_ERROR_PAGE,
  IMAGES,
  type ImageName,
  LAST_MODIFIED,
  type LoggedRequest,
  SCRIPTED_SVG,
  UPSTREAM_ERROR_TEXT,
} from '../support/image-fixtures.ts'

const origin = inject('imageOrigin')
const SITE = 'https://archive.example'
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024

interface Proxied {
  status: number
  headers: Headers
  bytes: Uint8Array
  text: string
  /** Set when the body stream broke off. */
  streamError?: unknown
}

async function signed(source: string): Promise<string> {
  return imageProxyPath(await importImageKey(env.IMAGE_PROXY_KEY), source)
}

/** A request to the worker, body read to the end, waitUntil work (cache writes) finished. */
async function request(path: string, init: RequestInit = {}, bindings: Partial<Cloudflare.Env> = {}): Promise<Proxied> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(new Request(`${SITE}${path}`, init), { ...env, ...bindings }, ctx)
  const { bytes, streamError } = await readAll(response.body)
  await waitOnExecutionContext(ctx)
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    text: new TextDecoder().decode(bytes),
    streamError,
  }
}

async function proxy(source: string, init?: RequestInit, bindings?: Partial<Cloudflare.Env>): Promise<Proxied> {
  return request(await signed(source), init, bindings)
}

async function readAll(body: ReadableStream<Uint8Array> | null): Promise<{ bytes: Uint8Array; streamError?: unknown }> {
  const chunks: Uint8Array[] = []
  let streamError: unknown
  if (body) {
    const reader = body.getReader()
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value)
    } catch (error) {
      streamError = error
    }
  }
  const bytes = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0))
  let offset = 0
  for (const c of chunks) {
    bytes.set(c, offset)
    offset += c.byteLength
  }
  return { bytes, streamError }
}

/** The requests the origin received for exactly this path and query. */
async function originRequests(pathAndQuery: string): Promise<LoggedRequest[]> {
  const log = (await (await fetch(`${origin}/__requests`)).json()) as LoggedRequest[]
  return log.filter((entry) => entry.url === pathAndQuery)
}

function expectCleanFailure(result: Proxied, status: number) {
  expect(result.status).toBe(status)
  expect(result.headers.get('cache-control')).toBe('no-store')
  expect(result.headers.get('content-type')).toBe('text/plain; charset=utf-8')
  expect(result.text.length).toBeLessThan(100)
  expect(result.text).not.toContain(UPSTREAM_ERROR_TEXT)
}

describe('signed URLs', () => {
  const path = '/images/photo.png?case=signatures'
  const source = `${origin}${path}`

  it('round-trip through the shared format', async () => {
    const key = await importImageKey(env.IMAGE_PROXY_KEY)
    const proxied = await imageProxyPath(key, source)
    expect(proxied).toMatch(/^\/img\/[A-Za-z0-9_-]{43}\/[A-Za-z0-9_-]+$/)
    expect(await verifyImageProxyPath(key, proxied)).toBe(source)
  })

  it('refuses unsigned, tampered and malformed paths with 403, and never asks the origin', async () => {
    const good = await signed(source)
    const [, , signature, encoded] = good.split('/')
    const otherSource = (await signed(`${origin}/images/photo.jpg?case=signatures`)).split('/')[3]
    const foreignKey = await imageProxyPath(await importImageKey('some other key'), source)
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`
    const bad = [
      '/img/',
      `/img/${encoded}`,
      `/img//${encoded}`,
      `/img/${flipped}/${encoded}`,
      `/img/${signature}/${otherSource}`,
      foreignKey,
      `${good}/`,
      `${good}/extra`,
      `/img/${signature}/${encoded}%3D`,
      `/img/${signature}==/${encoded}`,
      `/img/${signature.slice(0, 20)}/${encoded}`,
    ]
    for (const candidate of bad) expectCleanFailure(await request(candidate), 403)
    expect(await originRequests(path)).toHaveLength(0)

    // The same source, correctly signed, does reach it: the count above could have been non-zero.
    expect((await request(good)).status).toBe(200)
    expect(await originRequests(path)).toHaveLength(1)
  })

  it('answers only GET and HEAD', async () => {
    const target = `${origin}/images/photo.png?case=methods`
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const result = await proxy(target, { method, body: method === 'POST' ? 'x' : undefined })
      expectCleanFailure(result, 405)
      expect(result.headers.get('allow')).toBe('GET, HEAD')
    }
    expect(await originRequests('/images/photo.png?case=methods')).toHaveLength(0)
  })

  it('caps the path length before verifying anything', async () => {
    const path = `/images/photo.png?case=long&pad=${'x'.repeat(4000)}`
    expectCleanFailure(await proxy(`${origin}${path}`), 414)
    expect(await originRequests(path)).toHaveLength(0)
  })
})

describe('images', () => {
  it.each(Object.keys(IMAGES) as ImageName[])(
    '%s passes through byte for byte, with the proxy headers',
    async (name) => {
      const result = await proxy(`${origin}/images/${name}?case=formats`)
      expect(result.status).toBe(200)
      expect(result.bytes).toEqual(bytesOf(IMAGES[name].base64))
      expect(result.headers.get('content-type')).toBe(IMAGES[name].type)
      expect(result.headers.get('content-length')).toBe(String(result.bytes.byteLength))
      expect(result.headers.get('etag')).toBe(ETAG(name))
      expect(result.headers.get('last-modified')).toBe(LAST_MODIFIED)
      expect(result.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(result.headers.get('x-content-type-options')).toBe('nosniff')
      expect(result.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      )
      expect(result.headers.get('set-cookie')).toBeNull()
    },
  )

  it('serves an image labelled application/octet-stream as what its bytes are', async () => {
    const result = await proxy(`${origin}/images/octet.png?case=octet`)
    expect(result.status).toBe(200)
    expect(result.headers.get('content-type')).toBe('image/png')
    expect(result.bytes).toEqual(bytesOf(IMAGES['photo.png'].base64))
  })

  it('serves SVG only under a policy that stops its script', async () => {
    const result = await proxy(`${origin}/images/script.svg?case=svg`)
    expect(result.status).toBe(200)
    expect(result.headers.get('content-type')).toBe('image/svg+xml')
    expect(result.text).toBe(SCRIPTED_SVG)
    const csp = result.headers
      .get('content-security-policy')!
      .split(';')
      .map((d) => d.trim())
    // No script-src, so default-src 'none' governs scripts; sandbox without allow-scripts blocks them too.
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain('sandbox')
    expect(csp.some((d) => d.startsWith('script-src'))).toBe(false)
  })

  it('refuses an HTML page labelled image/jpeg, and HTML labelled as HTML', async () => {
    for (const path of ['/images/disguised.jpg?case=html', '/images/text.png?case=html']) {
      const result = await proxy(`${origin}${path}`)
      expectCleanFailure(result, 502)
      expect(result.text).not.toContain('Hotlinking forbidden')
      expect(HTML_ERROR_PAGE).toContain(UPSTREAM_ERROR_TEXT)
    }
  })

  it('sends the origin none of the client’s cookies or headers', async () => {
    const path = '/images/photo.jpg?case=client-headers'
    await proxy(`${origin}${path}`, {
      headers: {
        cookie: 'session=secret',
        authorization: 'Bearer secret',
        'x-forwarded-for': '203.0.113.9',
        'accept-language': 'zh-CN',
        'user-agent': 'client-agent/1.0',
        referer: `${SITE}/2022/11/15/post/`,
      },
    })
    const [seen] = await originRequests(path)
    const sent = JSON.stringify(seen.headers)
    for (const leak of ['secret', '203.0.113.9', 'zh-CN', 'client-agent', SITE]) expect(sent).not.toContain(leak)
    expect(seen.headers.referer).toBeUndefined()
    expect(seen.method).toBe('GET')
  })

  it('answers HEAD with the headers and no body', async () => {
    const result = await proxy(`${origin}/images/photo.gif?case=head`, { method: 'HEAD' })
    expect(result.status).toBe(200)
    expect(result.bytes.byteLength).toBe(0)
    expect(result.headers.get('content-type')).toBe('image/gif')
    expect(result.headers.get('etag')).toBe(ETAG('photo.gif'))
  })

  it('answers conditional requests with 304, before and after caching', async () => {
    const source = `${origin}/images/photo.webp?case=conditional`
    const notModified: Record<string, string>[] = [
      { 'if-none-match': ETAG('photo.webp') },
      { 'if-none-match': `"other", W/${ETAG('photo.webp')}` },
      { 'if-none-match': '*' },
      { 'if-modified-since': LAST_MODIFIED },
      { 'if-modified-since': 'Wed, 16 Nov 2022 00:00:00 GMT' },
    ]
    const modified: Record<string, string>[] = [
      { 'if-none-match': '"other"' },
      // If-None-Match wins over If-Modified-Since.
      { 'if-none-match': '"other"', 'if-modified-since': LAST_MODIFIED },
      { 'if-modified-since': 'Mon, 14 Nov 2022 00:00:00 GMT' },
      { 'if-modified-since': 'not a date' },
    ]
    for (const headers of notModified) {
      const result = await proxy(source, { headers })
      expect(result.status, JSON.stringify(headers)).toBe(304)
      expect(result.bytes.byteLength).toBe(0)
      expect(result.headers.get('etag')).toBe(ETAG('photo.webp'))
      expect(result.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      )
    }
    for (const headers of modified) {
      const result = await proxy(source, { headers })
      expect(result.status, JSON.stringify(headers)).toBe(200)
      expect(result.bytes).toEqual(bytesOf(IMAGES['photo.webp'].base64))
    }
    const ifMatchFails = await proxy(source, { headers: { 'if-match': '"other"' } })
    expectCleanFailure(ifMatchFails, 412)
    expect((await proxy(source, { headers: { 'if-match': ETAG('photo.webp') } })).status).toBe(200)
    expect(await originRequests('/images/photo.webp?case=conditional')).toHaveLength(1)
  })
})

describe('the edge cache', () => {
  it('serves a repeat request without asking the origin again', async () => {
    const path = '/images/photo.jpg?case=cache'
    const first = await proxy(`${origin}${path}`)
    const second = await proxy(`${origin}${path}`)
    expect(second.status).toBe(200)
    expect(second.bytes).toEqual(first.bytes)
    for (const name of ['content-type', 'etag', 'last-modified', 'cache-control', 'content-security-policy']) {
      expect(second.headers.get(name)).toBe(first.headers.get(name))
    }
    // A query string on the proxy URL is not a way around the cache.
    const busted = await request(`${await signed(`${origin}${path}`)}?bust=1`)
    expect(busted.bytes).toEqual(first.bytes)
    expect(await originRequests(path)).toHaveLength(1)
  })

  it('fills the cache from a HEAD request', async () => {
    const path = '/images/photo.png?case=head-fills'
    await proxy(`${origin}${path}`, { method: 'HEAD' })
    const result = await proxy(`${origin}${path}`)
    expect(result.bytes).toEqual(bytesOf(IMAGES['photo.png'].base64))
    expect(await originRequests(path)).toHaveLength(1)
  })

  it('never keeps a failure as a success', async () => {
    const path = '/images/flaky.png?case=flaky'
    expectCleanFailure(await proxy(`${origin}${path}`), 502)
    const recovered = await proxy(`${origin}${path}`)
    expect(recovered.status).toBe(200)
    expect(recovered.bytes).toEqual(bytesOf(IMAGES['photo.png'].base64))
    await proxy(`${origin}${path}`)
    expect(await originRequests(path)).toHaveLength(2)
  })

  it('does not cache a 404', async () => {
    const path = '/images/missing.jpg?case=404-twice'
    for (let i = 0; i < 2; i++) expectCleanFailure(await proxy(`${origin}${path}`), 404)
    expect(await originRequests(path)).toHaveLength(2)
  })
})

describe('upstream failures', () => {
  it('maps an upstream 404 to 404 and a 500 to 502, echoing nothing', async () => {
    expectCleanFailure(await proxy(`${origin}/images/missing.jpg?case=errors`), 404)
    expectCleanFailure(await proxy(`${origin}/images/broken.jpg?case=errors`), 502)
  })

  it('gives up on an origin that does not answer with 504', async () => {
    const path = '/images/hang.jpg?case=timeout'
    expectCleanFailure(await proxy(`${origin}${path}`, {}, { IMAGE_PROXY_TIMEOUT_MS: '300' }), 504)
    expect(await originRequests(path)).toHaveLength(1)
  })

  it('refuses a body whose Content-Length is over the limit with 413, reading none of it', async () => {
    const path = '/images/big.jpg?case=big'
    expectCleanFailure(await proxy(`${origin}${path}`), 413)
    expectCleanFailure(await proxy(`${origin}${path}`), 413)
    expect(await originRequests(path)).toHaveLength(2)
  })

  it('breaks off a body without Content-Length at the limit, and caches nothing', async () => {
    const path = '/images/big-chunked.jpg?case=big-chunked'
    const result = await proxy(`${origin}${path}`)
    expect(result.status).toBe(200)
    expect(result.streamError).toBeDefined()
    expect(result.bytes.byteLength).toBeLessThanOrEqual(DEFAULT_MAX_BYTES)
    // The truncated image was not stored: the next request goes upstream again.
    const again = await proxy(`${origin}${path}`)
    expect(again.streamError).toBeDefined()
    expect(await originRequests(path)).toHaveLength(2)
  })

  it('applies IMAGE_PROXY_MAX_BYTES', async () => {
    const small = { IMAGE_PROXY_MAX_BYTES: '100' }
    expectCleanFailure(await proxy(`${origin}/images/photo.jpg?case=max-bytes`, {}, small), 413)
    expect((await proxy(`${origin}/images/photo.webp?case=max-bytes`, {}, small)).status).toBe(200)
  })
})

describe('redirects', () => {
  it('follows up to 4, checking every hop', async () => {
    const query = '?case=redirect-4'
    const result = await proxy(`${origin}/redirect/4/images/photo.png${query}`)
    expect(result.status).toBe(200)
    expect(result.bytes).toEqual(bytesOf(IMAGES['photo.png'].base64))
    expect(await originRequests(`/images/photo.png${query}`)).toHaveLength(1)
  })

  it('refuses a fifth with 502, never fetching its target', async () => {
    const query = '?case=redirect-5'
    expectCleanFailure(await proxy(`${origin}/redirect/5/images/photo.png${query}`), 502)
    expect(await originRequests(`/redirect/1/images/photo.png${query}`)).toHaveLength(1)
    expect(await originRequests(`/images/photo.png${query}`)).toHaveLength(0)
  })

  it('refuses a redirect to a private or local address with 403, never fetching it', async () => {
    const port = new URL(origin).port
    const targets = [
      `http://localhost:${port}`,
      `http://[::1]:${port}`,
      `http://[::ffff:127.0.0.1]:${port}`,
      `http://127.0.0.1:${Number(port) === 65535 ? 65534 : Number(port) + 1}`,
      'http://10.0.0.1',
      'http://169.254.169.254',
      'http://[fd00::1]',
    ]
    for (const [i, target] of targets.entries()) {
      const query = `?case=private-redirect-${i}`
      const redirect = `/redirect-to?url=${encodeURIComponent(`${target}/images/photo.png${query}`)}`
      expectCleanFailure(await proxy(`${origin}${redirect}`), 403)
      expect(await originRequests(redirect)).toHaveLength(1)
      expect(await originRequests(`/images/photo.png${query}`)).toHaveLength(0)
    }
    const file = `/redirect-to?url=${encodeURIComponent('file:///etc/passwd')}`
    expectCleanFailure(await proxy(`${origin}${file}`), 403)
  })
})

describe('what the proxy may fetch', () => {
  it('refuses signed sources on local, private or non-http addresses with 403', async () => {
    const port = new URL(origin).port
    const sources = [
      `http://localhost:${port}/images/photo.png?case=source-policy`,
      `http://[::ffff:7f00:1]:${port}/images/photo.png?case=source-policy`,
      `http://0x7f.1:1/images/photo.png?case=source-policy`,
      `http://user:pass@127.0.0.1:${port}/images/photo.png?case=source-policy`,
      `ftp://127.0.0.1:${port}/images/photo.png?case=source-policy`,
      'data:image/png;base64,AAAA',
      'not a url',
    ]
    for (const source of sources) expectCleanFailure(await proxy(source), 403)
    expect(await originRequests('/images/photo.png?case=source-policy')).toHaveLength(0)
  })

  it('refuses the test origin itself once it is not allow-listed', async () => {
    const path = '/images/photo.png?case=not-allowed'
    expectCleanFailure(await proxy(`${origin}${path}`, {}, { IMAGE_PROXY_ALLOW_HOSTS: '' }), 403)
    expect(await originRequests(path)).toHaveLength(0)
  })

  it('answers 500 without fetching when the configuration is malformed', async () => {
    const path = '/images/photo.png?case=misconfigured'
    for (const bindings of [
      { IMAGE_PROXY_REFERERS: 'nonsense' },
      { IMAGE_PROXY_MAX_BYTES: 'ten' },
      { IMAGE_PROXY_ALLOW_HOSTS: 'http://x/' },
    ]) {
      expectCleanFailure(await proxy(`${origin}${path}`, {}, bindings), 500)
    }
    expect(await originRequests(path)).toHaveLength(0)
  })
})

describe('Referer', () => {
  const host = new URL(origin).hostname

  it('sends none by default, which hotlink guards that refuse foreign Referers accept', async () => {
    const path = '/hotlink/no-referer.png?case=referer-none'
    expect((await proxy(`${origin}${path}`)).status).toBe(200)
    expect((await originRequests(path))[0].headers.referer).toBeUndefined()
  })

  it('sends the image’s origin where the host is set to `origin`', async () => {
    const path = '/hotlink/own-origin.png?case=referer-origin'
    // Without the setting the origin refuses the image (and that failure is not cached).
    expectCleanFailure(await proxy(`${origin}${path}`), 502)
    const result = await proxy(`${origin}${path}`, {}, { IMAGE_PROXY_REFERERS: `${host}=origin` })
    expect(result.status).toBe(200)
    expect(result.bytes).toEqual(bytesOf(IMAGES['photo.png'].base64))
    expect((await originRequests(path)).map((r) => r.headers.referer)).toEqual([undefined, `${origin}/`])
  })

  it('sends a fixed Referer (the article’s site) where the host is set to a URL', async () => {
    const path = '/hotlink/article.png?case=referer-fixed'
    const result = await proxy(`${origin}${path}`, {}, { IMAGE_PROXY_REFERERS: `${host}=${ARTICLE_REFERER}` })
    expect(result.status).toBe(200)
    expect((await originRequests(path))[0].headers.referer).toBe(ARTICLE_REFERER)
  })

  it('keeps the source’s Referer across redirects', async () => {
    const query = '?case=referer-redirect'
    const result = await proxy(
      `${origin}/redirect/2/hotlink/own-origin.png${query}`,
      {},
      { IMAGE_PROXY_REFERERS: `*=origin` },
    )
    expect(result.status).toBe(200)
    expect((await originRequests(`/hotlink/own-origin.png${query}`))[0].headers.referer).toBe(`${origin}/`)
  })
})
