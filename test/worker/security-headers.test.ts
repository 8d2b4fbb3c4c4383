import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { parseHTML } from 'linkedom'
import { beforeAll, describe, expect, it } from 'vitest'
import { keys } from '../../src/shared/schema.ts'
import { EMBED_ORIGINS, securityHeaders } from '../../src/worker/security-headers.ts'
import { loadSite, manifest } from './load-site.ts'
import { get } from './worker-requests.ts'

/** `Content-Security-Policy` as directive → sources. */
function policy(response: Response): Map<string, string[]> {
  const header = response.headers.get('content-security-policy')
  expect(header, 'Content-Security-Policy').toBeTruthy()
  const directives = new Map<string, string[]>()
  for (const part of header!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) directives.set(name.toLowerCase(), sources)
  }
  return directives
}

function expectPagePolicy(response: Response) {
  const csp = policy(response)
  expect(csp.get('default-src')).toEqual(["'none'"])
  expect(csp.get('script-src')).toEqual(["'none'"])
  expect(csp.get('object-src')).toEqual(["'none'"])
  expect(csp.get('img-src')).toEqual(["'self'", 'data:'])
  expect(csp.get('frame-src')).toEqual([...EMBED_ORIGINS])
  expect(csp.get('frame-ancestors')).toEqual(["'none'"])
  expect(csp.get('base-uri')).toEqual(["'none'"])
  // The search form in every page's header submits to this site only.
  expect(csp.get('form-action')).toEqual(["'self'"])
  // Nothing a style could fetch from elsewhere, nothing that opens connections.
  for (const directive of ['connect-src', 'font-src', 'worker-src', 'child-src', 'manifest-src'])
    expect(csp.has(directive)).toBe(false)

  const h = response.headers
  expect(h.get('x-content-type-options')).toBe('nosniff')
  expect(h.get('referrer-policy')).toBe('no-referrer')
  expect(h.get('x-frame-options')).toBe('DENY')
  expect(h.get('cross-origin-opener-policy')).toBe('same-origin')
  const permissions = h.get('permissions-policy') ?? ''
  for (const feature of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'browsing-topics=()']) {
    expect(permissions).toContain(feature)
  }
  expect(permissions).toContain(`fullscreen=(self ${EMBED_ORIGINS.map((o) => `"${o}"`).join(' ')})`)
}

beforeAll(loadSite)

describe('every HTML response carries the page policy', () => {
  const seedUrl = () => manifest().find((p) => p.file.includes('王毅谈习拜会'))!.url

  it('on an article', async () => {
    const response = await get(seedUrl())
    expect(response.status).toBe(200)
    expectPagePolicy(response)
  })

  it('on the home page', async () => {
    const response = await get('/')
    expect(response.status).toBe(200)
    expectPagePolicy(response)
  })

  it('on listing pages', async () => {
    for (const path of ['/page/2/', '/tags/', '/archive/']) {
      const response = await get(path)
      expect(response.status, path).toBe(200)
      expectPagePolicy(response)
    }
  })

  it('on a page the render cache answers', async () => {
    await (await get(seedUrl())).arrayBuffer()
    const again = await get(seedUrl())
    expect(again.status).toBe(200)
    expectPagePolicy(again)
  })

  it('on a 404 page', async () => {
    const response = await get('/1999/01/01/no-such-post/')
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expectPagePolicy(response)
  })

  it('on a 500 page', async () => {
    const slug = manifest()[0].slug
    const good = await env.POSTS.get(keys.post(slug))
    await env.POSTS.put(keys.post(slug), '{not json')
    try {
      const response = await get(manifest()[0].url)
      expect(response.status).toBe(500)
      expectPagePolicy(response)
    } finally {
      await env.POSTS.put(keys.post(slug), good!)
    }
  })

  it("on pages whose only scripts are data blocks, so script-src 'none' costs nothing", async () => {
    for (const path of [
      seedUrl(),
      '/',
      ...manifest()
        .slice(0, 20)
        .map((p) => p.url),
    ]) {
      const { document } = parseHTML(await (await get(path)).text())
      for (const script of document.querySelectorAll('script')) {
        expect(script.getAttribute('type'), `${path}: <script> that a browser would run`).toBe('application/ld+json')
      }
    }
  })
})

describe('responses that are not pages', () => {
  // The same middleware in front of routes that answer the way feeds, the image proxy and the cache do.
  const app = new Hono()
  app.use(securityHeaders)
  app.get('/feed.xml', (c) =>
    c.body('<feed xmlns="http://www.w3.org/2005/Atom"/>', 200, { 'content-type': 'application/atom+xml' }),
  )
  app.get('/img/x', (c) =>
    c.body(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 200, {
      'content-type': 'image/png',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    }),
  )
  app.get('/cached', async () => {
    const url = 'http://example.com/cached'
    await caches.default.put(
      url,
      new Response('<p>cached page</p>', {
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'max-age=60' },
      }),
    )
    return (await caches.default.match(url))!
  })

  it('get a policy under which a browser runs nothing, and nosniff', async () => {
    const response = await app.request('/feed.xml')
    expect(response.status).toBe(200)
    const csp = policy(response)
    expect(csp.get('default-src')).toEqual(["'none'"])
    expect(csp.has('sandbox')).toBe(true)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain('<feed')
  })

  it("keep a policy of their own (the image proxy's)", async () => {
    const response = await app.request('/img/x')
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    )
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))
  })

  it('include a page served from the Cache API, whose headers are immutable', async () => {
    const response = await app.request('/cached')
    expect(response.status).toBe(200)
    expectPagePolicy(response)
    expect(await response.text()).toBe('<p>cached page</p>')
  })

  it("include the site's feeds", async () => {
    for (const path of ['/feed.xml', '/feed.json', '/sitemap.xml']) {
      const response = await get(path)
      expect(response.status, path).toBe(200)
      expect(policy(response).has('sandbox'), path).toBe(true)
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
  })

  it('include redirects', async () => {
    const response = await get(manifest()[0].url.slice(0, -1), { redirect: 'manual' })
    expect(response.status).toBe(301)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
