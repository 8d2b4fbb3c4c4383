import type { KvEntry } from '../shared/schema.ts'
import type { LocalState } from './local-state.ts'
import { DeployError, type KvStore } from './store.ts'

// SQLite in WAL mode: another process on the same files (wrangler dev, another deploy) holds a lock.
const BUSY = /SQLITE_BUSY|database is locked/i

/** A KV namespace of the local state, written in this process through Miniflare (local-state.ts). */
export class MiniflareStore implements KvStore {
  readonly target: string
  private readonly state: LocalState
  private readonly binding: string

  constructor(state: LocalState, binding = 'POSTS') {
    this.state = state
    this.binding = binding
    this.target = `local ${state.persistTo}`
  }

  get(key: string): Promise<string | null> {
    return this.attempt(() => this.state.readKv(this.binding, key))
  }

  listKeys(): Promise<string[]> {
    return this.attempt(() => this.state.listKv(this.binding))
  }

  put(entries: KvEntry[]): Promise<void> {
    return this.attempt(() => this.state.writeKv(this.binding, { put: entries }))
  }

  delete(keys: string[]): Promise<void> {
    return this.attempt(() => this.state.writeKv(this.binding, { remove: keys }))
  }

  /** A locked state is worth retrying (deploy's backoff); say what usually holds the lock. */
  private async attempt<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request()
    } catch (err) {
      const message = (err as Error).message
      if (!BUSY.test(message)) throw new DeployError(`local state ${this.state.persistTo}: ${message}`, false)
      throw new DeployError(
        `local state ${this.state.persistTo} is locked (SQLITE_BUSY): is \`wrangler dev\` serving it, or another deploy writing it? Stop it and deploy again.`,
        true,
      )
    }
  }
}
