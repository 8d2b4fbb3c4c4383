import { describe, expect, it } from 'vitest'
import { get } from './worker-requests.ts'

describe('/healthz', () => {
  it('answers ok, never stored, with the security headers of every response', async () => {
    const response = await get('/healthz')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ok')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('bypasses the render cache entirely (the floor npm run bench measures)', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await get('/healthz')
      await response.arrayBuffer()
      expect(response.headers.has('server-timing')).toBe(false)
      expect(response.headers.has('etag')).toBe(false)
    }
  })

  it('answers HEAD without a body', async () => {
    const response = await get('/healthz', { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })
})
