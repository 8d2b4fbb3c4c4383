import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KvEntry } from '../shared/schema.ts'
import type { ManifestEntry } from './site.ts'

/** `wrangler kv bulk put` accepts at most 10,000 pairs and 100 MB a request; stay under both. */
export const BULK_MAX_PAIRS = 10_000
export const BULK_MAX_BYTES = 95 * 1000 * 1000

/** Splits entries into bulk files that each fit one `wrangler kv bulk put`. */
export function chunkEntries(entries: KvEntry[], maxPairs = BULK_MAX_PAIRS, maxBytes = BULK_MAX_BYTES): KvEntry[][] {
  return chunkBySize(entries, (entry) => Buffer.byteLength(JSON.stringify(entry)), maxPairs, maxBytes)
}

/** Groups items in order, at most `maxPairs` a group and `maxBytes` as a JSON array of them. */
function chunkBySize<T>(items: T[], size: (item: T) => number, maxPairs: number, maxBytes: number): T[][] {
  const chunks: T[][] = []
  let chunk: T[] = []
  let bytes = 2
  for (const item of items) {
    const itemBytes = size(item) + 1
    if (chunk.length > 0 && (chunk.length >= maxPairs || bytes + itemBytes > maxBytes)) {
      chunks.push(chunk)
      chunk = []
      bytes = 2
    }
    chunk.push(item)
    bytes += itemBytes
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((text) => Buffer.from(text))

/**
 * Replaces `<out>/kv/` (left empty without entries), `<out>/manifest.json` and
 * `<out>/removed.json`. Called only after every post validated, so a failed
 * build never leaves half an output behind.
 */
export async function writeBuildOutput(
  outDir: string,
  entries: KvEntry[],
  manifest: ManifestEntry[],
  removedJson: string,
): Promise<string[]> {
  const kvDir = join(outDir, 'kv')
  await rm(kvDir, { recursive: true, force: true })
  await mkdir(kvDir, { recursive: true })
  const files: string[] = []
  // Each entry is serialised and encoded once: its bytes both size the chunks and are written.
  const encoded = entries.map((entry) => Buffer.from(JSON.stringify(entry)))
  for (const [i, chunk] of chunkBySize(encoded, (bytes) => bytes.length, BULK_MAX_PAIRS, BULK_MAX_BYTES).entries()) {
    const file = join(kvDir, `bulk-${String(i + 1).padStart(4, '0')}.json`)
    await writeFile(
      file,
      Buffer.concat([OPEN, ...chunk.flatMap((bytes, k) => (k === 0 ? [bytes] : [COMMA, bytes])), CLOSE]),
    )
    files.push(file)
  }
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  await writeFile(join(outDir, 'removed.json'), removedJson)
  return files
}
