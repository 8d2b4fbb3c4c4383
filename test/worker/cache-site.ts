/**
 * The worker app as the cache tests drive it: real Miniflare KV behind a
 * counter of binding calls, a real execution context (or one with a Workers
 * Cache in front), and the render cache switched on.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { vi } from 'vitest'
import { keys } from '../../src/shared/schema.ts'
import { app } from '../../src/worker/app.ts'
import { manifest } from './load-site.ts'

/** Origins of this test file's sites: the render cache is keyed by URL, so no two files or tests share entries. */
const RUN = crypto.randomUUID().slice(0, 8)

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
    this.origin = options.origin ?? `http://t${++Site.#hosts}-${RUN}.cache.test`
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

/** The worker's clock (Date), moved on as if `seconds` had passed. */
export function later(seconds: number): void {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now() + seconds * 1000)
}

export const seed = () => manifest().find((p) => p.file.endsWith('王毅谈习拜会：有利推动两国关系重回健康正轨.md'))!

/** Headers that must agree between a 200 and the responses that stand for it. */
export const VALIDATORS = ['etag', 'last-modified', 'cache-control', 'cdn-cache-control', 'cache-tag']

export function pick(headers: Headers, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((name) => [name, headers.get(name)]))
}

/** A copy of the seed post under another slug, for tests that change or delete it. */
export async function putTestPost(slug: string, change: Record<string, unknown> = {}): Promise<string> {
  const value = JSON.parse((await env.POSTS.get(keys.post(seed().slug)))!) as Record<string, unknown>
  const [, y, m, d, title] = /^(\d{4})-(\d{2})-(\d{2})-(.+)$/.exec(slug)!
  await env.POSTS.put(keys.post(slug), JSON.stringify({ ...value, slug, url: `/${y}/${m}/${d}/${title}/`, ...change }))
  return `/${y}/${m}/${d}/${title}/`
}
