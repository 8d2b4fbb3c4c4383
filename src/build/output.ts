import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KvEntry, ManifestEntry } from './site.ts'

/** `wrangler kv bulk put` accepts at most 10,000 pairs and 100 MB a request; stay under both. */
export const BULK_MAX_PAIRS = 10_000
export const BULK_MAX_BYTES = 95 * 1000 * 1000

/** Splits entries into bulk files that each fit one `wrangler kv bulk put`. */
export function chunkEntries(entries: KvEntry[], maxPairs = BULK_MAX_PAIRS, maxBytes = BULK_MAX_BYTES): KvEntry[][] {
  const chunks: KvEntry[][] = []
  let chunk: KvEntry[] = []
  let bytes = 2
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry)) + 1
    if (chunk.length > 0 && (chunk.length >= maxPairs || bytes + size > maxBytes)) {
      chunks.push(chunk)
      chunk = []
      bytes = 2
    }
    chunk.push(entry)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

/**
 * Replaces `<out>/kv/` and `<out>/manifest.json`. Called only after every post
 * validated, so a failed build never leaves half an output behind.
 */
export async function writeBuildOutput(outDir: string, entries: KvEntry[], manifest: ManifestEntry[]): Promise<string[]> {
  const kvDir = join(outDir, 'kv')
  await rm(kvDir, { recursive: true, force: true })
  await mkdir(kvDir, { recursive: true })
  const files: string[] = []
  for (const [i, chunk] of chunkEntries(entries).entries()) {
    const file = join(kvDir, `bulk-${String(i + 1).padStart(4, '0')}.json`)
    await writeFile(file, JSON.stringify(chunk))
    files.push(file)
  }
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return files
}
