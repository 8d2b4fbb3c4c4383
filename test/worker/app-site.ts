import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { app } from '../../src/worker/app.ts'

const TOKEN = 'test-purge-token'

/**
 * The worker app on the real Miniflare KV, through a wrapper that counts
 * every call on the POSTS binding. Each test uses its own host: the render
 * cache is keyed by URL, so tests do not share entries.
 */
export class Site {
  static #hosts = 0
  readonly origin: string
  readonly kvCalls: string[] = []
  readonly env: Cloudflare.Env
  private readonly workersCache?: CacheContext

  constructor(options: { env?: Partial<Cloudflare.Env>; workersCache?: CacheContext; origin?: string } = {}) {
    this.origin = options.origin ?? `http://t${++Site.#hosts}.cache.test`
    this.workersCache = options.workersCache
    const calls = this.kvCalls
    const POSTS = new Proxy(env.POSTS, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          calls.push(`${String(property)} ${String(args[0])}`)
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const overrides = { CACHE_PURGE_TOKEN: TOKEN, RENDER_CACHE: 'on', POSTS, ...options.env }
    this.env = Object.assign(Object.create(env) as Cloudflare.Env, overrides)
  }

  /** One request; resolves once its background work (storing in the cache) is done. */
  async fetch(path: string, init: RequestInit = {}) {
    const ctx = createExecutionContext()
    const context = this.workersCache
      ? {
          waitUntil: (p: Promise<unknown>) => ctx.waitUntil(p),
          passThroughOnException: () => {},
          props: {},
          cache: this.workersCache,
        }
      : ctx
    this.kvCalls.length = 0
    const response = await app.fetch(new Request(`${this.origin}${path}`, init), this.env, context as ExecutionContext)
    const body = await response.text()
    await waitOnExecutionContext(ctx)
    return {
      response,
      body,
      status: response.status,
      headers: response.headers,
      kvReads: this.kvCalls.length,
      cache: cacheStatus(response),
    }
  }

  purge(body: object, action: 'purge' | 'invalidate' = 'purge', token = TOKEN) {
    return this.fetch(`/_cache/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  }
}

/** The render cache's report, e.g. `hit` or `miss, render`. */
function cacheStatus(response: Response): string | null {
  const timing = response.headers.get('server-timing')
  if (timing === null) return null
  return timing.replace(/cache;desc="(\w+)"/, '$1')
}
