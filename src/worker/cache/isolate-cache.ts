/**
 * A rendered response the render cache holds: as the client gets it (its
 * own Cache-Control, no bookkeeping headers; `Age` is added when served),
 * with what decides its freshness beside it.
 */
export interface CachedPage {
  status: number
  headers: Headers
  body: ArrayBuffer
  /** When it was stored or last found current (ms since the epoch). */
  storedAt: number
  /** Served without asking KV until then; afterwards revalidated by its ETag. */
  freshUntil: number
  /** How long the Cache API keeps it: max-age plus the edge's stale window, so it can still be revalidated. */
  keepSeconds: number
  /** Its Cache-Tag values, lower-cased: what a local purge names. */
  tags: readonly string[]
}

/** What one entry is counted as beyond its body and headers (key, object, map slot). */
const ENTRY_OVERHEAD_BYTES = 256

/**
 * The render cache's first level: pages held in this isolate's memory, in
 * front of the Cache API, so that a hot page costs a map lookup instead of a
 * call to the runtime's cache. Bounded by bytes; the least recently used
 * entries go first. It keeps pages only: whether one is fresh is the render
 * cache's rule, the same for both levels (render-cache.ts).
 */
export class IsolateCache {
  readonly #entries = new Map<string, { page: CachedPage; bytes: number }>()
  #bytes = 0

  /**
   * @param maxBytes what all entries together may take
   * @param maxEntryBytes the largest entry kept: one huge page must not flush every other
   */
  constructor(
    readonly maxBytes: number,
    readonly maxEntryBytes = maxBytes / 8,
  ) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes
  }

  get size(): number {
    return this.#entries.size
  }

  /** The page under `key`, which becomes the most recently used. */
  get(key: string): CachedPage | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    // A Map iterates in insertion order: re-inserting keeps the least recently used first.
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry.page
  }

  set(key: string, page: CachedPage): void {
    this.delete(key)
    const bytes = sizeOf(key, page)
    if (bytes > this.maxEntryBytes) return
    this.#entries.set(key, { page, bytes })
    this.#bytes += bytes
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break
      this.#entries.delete(oldest)
      this.#bytes -= entry.bytes
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#bytes -= entry.bytes
  }
}

/** Strings count two bytes a character (V8 keeps non-Latin-1 text as UTF-16). */
function sizeOf(key: string, page: CachedPage): number {
  let bytes = ENTRY_OVERHEAD_BYTES + page.body.byteLength + 2 * key.length
  for (const [name, value] of page.headers) bytes += 2 * (name.length + value.length)
  return bytes
}
