import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { imageProxyPath, importImageKey } from '../../src/shared/image-url.ts'
import { app } from '../../src/worker/app.ts'

afterEach(() => vi.restoreAllMocks())

/** One request to the app with these bindings. */
async function fetchWith(bindings: Cloudflare.Env, path: string): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await app.fetch(new Request(`http://config.test${path}`), bindings, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

describe('the configuration middleware', () => {
  it('reads the configuration and imports the image key once for every request that shares an env', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    const bindings = { ...env, SITE_NAME: 'Configured Once' }
    for (const path of ['/no-such-page/', '/1999/01/01/none/', '/also/missing']) {
      const response = await fetchWith(bindings, path)
      expect(await response.text()).toContain('Configured Once')
    }
    expect(importKey).toHaveBeenCalledTimes(1)
  })

  it('answers a clean 500 while the configuration is broken, and logs why once', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const broken = { ...env, IMAGE_PROXY_KEY: '', IMAGE_PROXY_MAX_BYTES: 'ten' }
    const image = await imageProxyPath(await importImageKey(env.IMAGE_PROXY_KEY), 'https://example.com/a.png')
    for (const path of ['/', '/2022/11/15/anything/', '/feed.xml']) {
      const response = await fetchWith(broken, path)
      const body = await response.text()
      expect(response.status, path).toBe(500)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(body).toContain('This page could not be shown.')
      expect(body).not.toMatch(/IMAGE_PROXY|configuration|at \w+ \(/)
    }
    const proxied = await fetchWith(broken, image)
    expect(proxied.status).toBe(500)
    expect(proxied.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await proxied.text()).not.toMatch(/IMAGE_PROXY/)
    // Liveness does not depend on the configuration.
    expect((await fetchWith(broken, '/healthz')).status).toBe(200)

    expect(log).toHaveBeenCalledTimes(1)
    expect(String(log.mock.calls[0]![0])).toMatch(/IMAGE_PROXY_KEY is not set.*IMAGE_PROXY_MAX_BYTES: "ten"/)
  })
})
