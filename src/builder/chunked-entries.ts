import { fullChunks } from '../shared/listings.ts'
import { type Chunk, type ChunkedHead, type KvEntry, SCHEMA_VERSION } from '../shared/schema.ts'

/**
 * A list (oldest first) as KV entries: a head and its full chunks (layout in
 * shared/listings.ts). Chunk k depends only on items k·stride … k·stride +
 * stride + overlap − 1, so appending items leaves every existing chunk's value
 * byte for byte the same.
 */
export function chunkedEntries<T>(
  items: T[],
  layout: { stride: number; overlap: number },
  headKey: string,
  chunkKey: (index: number) => string,
): KvEntry[] {
  const { stride, overlap } = layout
  const full = fullChunks({ count: items.length, stride, overlap })
  const head: ChunkedHead<T> = {
    schema: SCHEMA_VERSION,
    count: items.length,
    stride,
    overlap,
    tail: items.slice(full * stride),
  }
  const entries: KvEntry[] = [{ key: headKey, value: JSON.stringify(head) }]
  for (let k = 0; k < full; k++) {
    const chunk: Chunk<T> = {
      schema: SCHEMA_VERSION,
      start: k * stride,
      items: items.slice(k * stride, k * stride + stride + overlap),
    }
    entries.push({ key: chunkKey(k), value: JSON.stringify(chunk) })
  }
  return entries
}
