import { TooLarge } from './stream.ts'

/**
 * Reads a stream to its end into one array: what the archive needs, since an
 * object is named by the hash of all its bytes. Past `maxBytes` it cancels the
 * stream and throws TooLarge; a stream that errors throws its error.
 */
export async function collectBytes(
  stream: ReadableStream<Uint8Array>,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw new TooLarge(maxBytes)
    }
    chunks.push(next.value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
