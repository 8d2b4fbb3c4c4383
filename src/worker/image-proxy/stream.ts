/** Streaming helpers: the proxy never holds more of an image than a chunk or two. */

export interface Peeked {
  /** The first bytes of the body (fewer if the body is shorter). */
  head: Uint8Array
  /** The whole body again, head included, still streaming. */
  body: ReadableStream<Uint8Array>
}

/** Reads chunks until at least `size` bytes are in (or the body ends), without losing them. */
export async function peek(source: ReadableStream<Uint8Array>, size: number): Promise<Peeked> {
  const reader = source.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  let ended = false
  while (length < size && !ended) {
    const next = await reader.read()
    if (next.done) ended = true
    else {
      chunks.push(next.value)
      length += next.value.byteLength
    }
  }
  const head = new Uint8Array(Math.min(length, size))
  let offset = 0
  for (const chunk of chunks) {
    if (offset >= head.length) break
    head.set(chunk.subarray(0, head.length - offset), offset)
    offset += chunk.byteLength
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      if (ended) controller.close()
    },
    async pull(controller) {
      const next = await reader.read()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
  return { head, body }
}

export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`image larger than ${maxBytes} bytes`)
  }
}

export interface ByteLimit {
  stream: TransformStream<Uint8Array, Uint8Array>
  /** True once the whole body has passed within the limit; false while streaming and after any failure. */
  complete(): boolean
}

/** Passes bytes through, counting them; errors the stream (and so cancels upstream) past `maxBytes`. */
export function limitBytes(maxBytes: number): ByteLimit {
  let seen = 0
  let complete = false
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength
      if (seen > maxBytes) controller.error(new TooLarge(maxBytes))
      else controller.enqueue(chunk)
    },
    flush() {
      complete = true
    },
  })
  return { stream, complete: () => complete }
}
