import { fullChunks } from '../shared/listings.ts'
import { type Chunk, type ChunkedHead, type KvEntry, SCHEMA_VERSION } from '../shared/schema.ts'

export interface ChunkLayout {
  stride: number
  overlap: number
}

/**
 * A list (oldest first) as KV entries: a head and its full chunks (layout in
 * shared/listings.ts). Chunk k depends only on items k·stride … k·stride +
 * stride + overlap − 1, so appending items leaves every existing chunk's value
 * byte for byte the same. With `firstChanged` (the first position where the
 * list differs from the one stored), the chunks that end before it are left
 * out: they are `unchangedChunkKeys`.
 */
export function chunkedEntries<T>(
  items: T[],
  layout: ChunkLayout,
  headKey: string,
  chunkKey: (index: number) => string,
  firstChanged = 0,
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
  for (let k = fullChunks({ count: firstChanged, stride, overlap }); k < full; k++) {
    const chunk: Chunk<T> = {
      schema: SCHEMA_VERSION,
      start: k * stride,
      items: items.slice(k * stride, k * stride + stride + overlap),
    }
    entries.push({ key: chunkKey(k), value: JSON.stringify(chunk) })
  }
  return entries
}

/** The chunks holding only items before `firstChanged`: the same as in any list that agrees with this one until there. */
export function unchangedChunkKeys(
  layout: ChunkLayout,
  chunkKey: (index: number) => string,
  firstChanged: number,
): string[] {
  return Array.from({ length: fullChunks({ count: firstChanged, ...layout }) }, (_, k) => chunkKey(k))
}
