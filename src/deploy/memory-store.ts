import type { KvEntry } from '../shared/schema.ts'
import type { KvStore } from './store.ts'

/** A namespace in memory: the test implementation of KvStore, so no test talks to Cloudflare. */
export class MemoryStore implements KvStore {
  readonly values = new Map<string, string>()
  readonly target: string

  constructor(target = 'memory') {
    this.target = target
  }

  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null
  }

  async listKeys(): Promise<string[]> {
    return [...this.values.keys()].sort()
  }

  async put(entries: KvEntry[]): Promise<void> {
    for (const { key, value } of entries) this.values.set(key, value)
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.values.delete(key)
  }
}
