import type { KvEntry } from '../shared/schema.ts'

/**
 * The KV namespace a deploy writes to. Each call is one request of
 * `wrangler kv bulk put` / `bulk delete` size (see plan.ts for the limits), so
 * a failed call can be retried as a whole. Implementations: WranglerStore
 * (Cloudflare or the local state `npm start` serves) and MemoryStore (tests).
 */
export interface KvStore {
  /** Names the namespace in messages and keys the resume journal: two stores with one target are one namespace. */
  readonly target: string
  get(key: string): Promise<string | null>
  /** Every key in the namespace; used only when no deploy state is recorded yet, or with --reconcile. */
  listKeys(): Promise<string[]>
  put(entries: KvEntry[]): Promise<void>
  delete(keys: string[]): Promise<void>
}

/** A failed store or code request. `transient` failures (network, 429, 5xx) are worth retrying. */
export class DeployError extends Error {
  readonly transient: boolean
  /** How long the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number

  constructor(message: string, transient: boolean, retryAfterMs?: number) {
    super(message)
    this.name = 'DeployError'
    this.transient = transient
    this.retryAfterMs = retryAfterMs
  }
}
