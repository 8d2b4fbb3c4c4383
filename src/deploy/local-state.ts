import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import type { Miniflare as MiniflareClass } from 'miniflare'
import type { KvEntry } from '../shared/schema.ts'
import { localBindings } from './wrangler-config.ts'

/** wrangler's own default for local state, which `wrangler dev` reads. */
export const DEFAULT_PERSIST_TO = '.wrangler/state'

export type LocalKv = Awaited<ReturnType<MiniflareClass['getKVNamespace']>>
export type LocalR2 = Awaited<ReturnType<MiniflareClass['getR2Bucket']>>
export type LocalD1 = Awaited<ReturnType<MiniflareClass['getD1Database']>>

/**
 * Loaded with require: Miniflare is one 6 MB CommonJS file in a package that does not say so, which
 * `import` parses twice (as ESM, then CommonJS) — most of a second of a one-post publish.
 */
const { Miniflare } = createRequire(import.meta.url)('miniflare') as { Miniflare: typeof MiniflareClass }

/** Entries in one request to the writer: big enough that round trips do not count, small enough to stream. */
const WRITE_BATCH_PAIRS = 1000
const WRITE_BATCH_BYTES = 16 * 1024 * 1024

/**
 * Bulk writes happen inside workerd, many at a time: one Node → workerd round
 * trip per batch instead of one per key (several times faster; each put is
 * still a SQLite commit and a blob file).
 */
const WRITER = `
const PARALLEL = 50
export default {
  async fetch(request, env) {
    const { binding, put = [], remove = [] } = await request.json()
    const kv = env[binding]
    try {
      for (let i = 0; i < put.length; i += PARALLEL)
        await Promise.all(put.slice(i, i + PARALLEL).map((e) => kv.put(e.key, e.value)))
      for (let i = 0; i < remove.length; i += PARALLEL)
        await Promise.all(remove.slice(i, i + PARALLEL).map((key) => kv.delete(key)))
      return new Response(null, { status: 204 })
    } catch (err) {
      return new Response(String(err && err.stack || err), { status: 500 })
    }
  },
}`

/**
 * The local state `wrangler dev` serves (`--persist-to DIR`, default
 * .wrangler/state), opened in this process through Miniflare: one workerd with
 * every KV, R2 and D1 binding of wrangler.toml, persisted where wrangler keeps
 * them (`DIR/v3`, under the same ids), so what is written here is what
 * `wrangler dev` and `npm start` read. Only one process may write a state
 * folder, and not while `wrangler dev` serves it (see state-lock.ts).
 */
export class LocalState {
  readonly persistTo: string
  private readonly mf: MiniflareClass

  /** Starts workerd at once; the bindings wait for it. */
  constructor(options: { persistTo?: string; config?: string } = {}) {
    this.persistTo = resolve(options.persistTo ?? DEFAULT_PERSIST_TO)
    const bindings = localBindings(resolve(options.config ?? 'wrangler.toml'))
    const env = {
      ...mapValues(bindings.kv, (id) => ({ type: 'kv' as const, id })),
      ...mapValues(bindings.r2, (name) => ({ type: 'r2' as const, name })),
      ...mapValues(bindings.d1, (id) => ({ type: 'd1' as const, id })),
    }
    this.mf = new Miniflare({
      // No Request.cf data from Cloudflare, no dev registry in the user's config folder, no request log.
      cf: false,
      enableDevRegistry: false,
      logRequests: false,
      // wrangler keeps `--persist-to DIR` under DIR/v3.
      resourcePersistencePath: join(this.persistTo, 'v3'),
      workers: [
        {
          config: {
            name: 'local-state-writer',
            compatibilityDate: bindings.compatibilityDate,
            manifest: { mainModule: 'writer.mjs', modules: { 'writer.mjs': { type: 'esm', contents: WRITER } } },
            env,
          },
        },
      ],
    })
  }

  kv(binding: string): Promise<LocalKv> {
    return this.mf.getKVNamespace(binding)
  }

  r2(binding: string): Promise<LocalR2> {
    return this.mf.getR2Bucket(binding)
  }

  d1(binding: string): Promise<LocalD1> {
    return this.mf.getD1Database(binding)
  }

  /** Puts or deletes many KV keys through the binding inside workerd. Throws the writer's error text. */
  async writeKv(binding: string, change: { put?: readonly KvEntry[]; remove?: readonly string[] }): Promise<void> {
    for (const put of batches(change.put ?? [], (e) => e.key.length + e.value.length)) await this.send({ binding, put })
    for (const remove of batches(change.remove ?? [], (key) => key.length)) await this.send({ binding, remove })
  }

  dispose(): Promise<void> {
    return this.mf.dispose()
  }

  private async send(body: object): Promise<void> {
    const response = await this.mf.dispatchFetch('http://local-state/', { method: 'POST', body: JSON.stringify(body) })
    const text = await response.text()
    if (!response.ok) throw new Error(text || `local state writer answered ${response.status}`)
  }
}

function batches<T>(items: readonly T[], size: (item: T) => number): T[][] {
  const out: T[][] = []
  let batch: T[] = []
  let bytes = 0
  for (const item of items) {
    if (batch.length > 0 && (batch.length >= WRITE_BATCH_PAIRS || bytes + size(item) > WRITE_BATCH_BYTES)) {
      out.push(batch)
      batch = []
      bytes = 0
    }
    batch.push(item)
    bytes += size(item)
  }
  if (batch.length > 0) out.push(batch)
  return out
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]))
}
