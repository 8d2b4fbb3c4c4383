import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import type { Miniflare as MiniflareClass, MiniflareOptions } from 'miniflare'
import type { KvEntry } from '../shared/schema.ts'
import type { SqlStatement } from '../shared/search-index.ts'
import { localBindings } from './wrangler-config.ts'

/** wrangler's own default for local state, which `wrangler dev` reads. */
export const DEFAULT_PERSIST_TO = '.wrangler/state'

export type LocalKv = Awaited<ReturnType<MiniflareClass['getKVNamespace']>>
export type LocalR2 = Awaited<ReturnType<MiniflareClass['getR2Bucket']>>
export type LocalD1 = Awaited<ReturnType<MiniflareClass['getD1Database']>>
/** One worker of a Miniflare instance (Miniflare's own options format). */
export type LocalWorker = MiniflareOptions['workers'][number]

/**
 * Loaded with require: Miniflare is one 6 MB CommonJS file in a package that does not say so, which
 * `import` parses twice (as ESM, then CommonJS) — most of a second of a one-post publish.
 */
const { Miniflare } = createRequire(import.meta.url)('miniflare') as { Miniflare: typeof MiniflareClass }

const WRITER_NAME = 'local-state-writer'

/** Entries in one request to the writer: big enough that round trips do not count, small enough to stream. */
const WRITE_BATCH_PAIRS = 1000
const WRITE_BATCH_BYTES = 16 * 1024 * 1024

/**
 * Bulk writes happen inside workerd, many at a time: one Node → workerd round
 * trip per batch instead of one per key (several times faster; each put is
 * still a SQLite commit and a blob file). Reads go through it too: one plain
 * HTTP answer, where Miniflare's binding proxy first starts a thread of its own
 * and decodes the value as a multipart body (together about a second of a
 * one-post publish, for the few-MB deploy state).
 */
const WRITER = `
const PARALLEL = 50
export default {
  async fetch(request, env) {
    // Once the site is served beside it, anything that reaches the port can name this worker
    // (Miniflare's MF-Route-Override header); only this process knows the secret.
    if (request.headers.get('x-local-state-secret') !== env.WRITER_SECRET) return new Response(null, { status: 403 })
    const { binding, get, list, put = [], remove = [], query, transaction } = await request.json()
    const kv = env[binding]
    try {
      if (query) {
        const { results } = await env[binding].prepare(query.sql).bind(...query.params).all()
        return Response.json(results)
      }
      if (transaction) {
        const db = env[binding]
        await db.batch(transaction.map((s) => db.prepare(s.sql).bind(...s.params)))
        return new Response(null, { status: 204 })
      }
      if (get !== undefined) {
        const value = await kv.get(get)
        return value === null ? new Response(null, { status: 404 }) : new Response(value)
      }
      if (list) {
        const names = []
        let cursor
        do {
          const page = await kv.list({ cursor })
          for (const key of page.keys) names.push(key.name)
          cursor = page.list_complete ? undefined : page.cursor
        } while (cursor)
        return Response.json(names)
      }
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
  /**
   * Settles once workerd is spawned (or failed to start): its start-up then runs in parallel, while
   * this thread goes on, but not before — Miniflare needs a few turns of the event loop to spawn it.
   */
  readonly spawned: Promise<void>
  private readonly mf: MiniflareClass
  private readonly options: MiniflareOptions & { workers: LocalWorker[] }
  private readonly secret = randomBytes(16).toString('hex')

  /** Starts workerd at once; the bindings wait for it. */
  constructor(options: { persistTo?: string; config?: string } = {}) {
    let onChild = (_message: unknown) => {}
    const spawn = new Promise<void>((resolve) => {
      // Node's built-in channel for every child process this process creates.
      onChild = (message) => {
        if (/workerd/.test((message as { process: ChildProcess }).process.spawnfile)) resolve()
      }
    })
    subscribe('child_process', onChild)
    this.persistTo = resolve(options.persistTo ?? DEFAULT_PERSIST_TO)
    const bindings = localBindings(resolve(options.config ?? 'wrangler.toml'))
    const env = {
      ...mapValues(bindings.kv, (id) => ({ type: 'kv' as const, id })),
      ...mapValues(bindings.r2, (name) => ({ type: 'r2' as const, name })),
      ...mapValues(bindings.d1, (id) => ({ type: 'd1' as const, id })),
    }
    this.options = {
      // No Request.cf data from Cloudflare, no dev registry in the user's config folder, no request log.
      cf: false,
      enableDevRegistry: false,
      logRequests: false,
      // wrangler keeps `--persist-to DIR` under DIR/v3.
      resourcePersistencePath: join(this.persistTo, 'v3'),
      workers: [
        {
          config: {
            name: WRITER_NAME,
            compatibilityDate: bindings.compatibilityDate,
            manifest: { mainModule: 'writer.mjs', modules: { 'writer.mjs': { type: 'esm', contents: WRITER } } },
            env: { ...env, WRITER_SECRET: { type: 'text', value: this.secret } },
          },
        },
      ],
    }
    this.mf = new Miniflare(this.options)
    const ready = this.mf.ready.then(
      () => {},
      () => {},
    )
    this.spawned = Promise.race([spawn, ready]).finally(() => unsubscribe('child_process', onChild))
  }

  /**
   * Serves `app` (the site's worker) on host:port from this same workerd, so
   * the state goes on being written here while it is served — two workerd
   * processes on one state fail on SQLite locks. Restarts workerd; bindings
   * taken before are stale afterwards. Resolves to the site's URL.
   */
  async serve(app: LocalWorker, listen: { host: string; port: number }): Promise<URL> {
    await this.mf.setOptions({ ...this.options, ...listen, workers: [app, ...this.options.workers] })
    return this.mf.ready
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

  /** A KV value, read inside workerd; null when the key is not there. */
  async readKv(binding: string, key: string): Promise<string | null> {
    const response = await this.send({ binding, get: key })
    return response.status === 404 ? null : response.text()
  }

  /** Every key name of a KV namespace, listed inside workerd. */
  async listKv(binding: string): Promise<string[]> {
    return (await this.send({ binding, list: true })).json() as Promise<string[]>
  }

  /** The rows of one statement on a D1 binding, run inside workerd. */
  async queryD1<T>(binding: string, query: SqlStatement): Promise<T[]> {
    return (await this.send({ binding, query })).json() as Promise<T[]>
  }

  /**
   * Statements as one D1 transaction, run inside workerd: one round trip, where
   * Miniflare's binding proxy makes one for every prepare() and bind().
   */
  async transactD1(binding: string, transaction: readonly SqlStatement[]): Promise<void> {
    await (await this.send({ binding, transaction })).arrayBuffer()
  }

  /** Puts or deletes many KV keys through the binding inside workerd. Throws the writer's error text. */
  async writeKv(binding: string, change: { put?: readonly KvEntry[]; remove?: readonly string[] }): Promise<void> {
    for (const put of batches(change.put ?? [], (e) => e.key.length + e.value.length))
      await (await this.send({ binding, put })).arrayBuffer()
    for (const remove of batches(change.remove ?? [], (key) => key.length))
      await (await this.send({ binding, remove })).arrayBuffer()
  }

  dispose(): Promise<void> {
    return this.mf.dispose()
  }

  /** One request to the writer; its answer unless it failed (a 404 is a missing key, not a failure). */
  private async send(body: object) {
    const response = await this.mf.dispatchFetch('http://local-state/', {
      method: 'POST',
      // The writer, also when the site's worker is served first (serve()).
      headers: { 'MF-Route-Override': WRITER_NAME, 'x-local-state-secret': this.secret },
      body: JSON.stringify(body),
    })
    if (response.ok || response.status === 404) return response
    const text = await response.text()
    throw new Error(text || `local state writer answered ${response.status}`)
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
