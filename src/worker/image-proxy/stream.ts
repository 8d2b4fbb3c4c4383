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

export interface Branch {
  stream: ReadableStream<Uint8Array>
  /** Stops feeding this branch (its reader went away without cancelling); the other goes on alone. */
  detach(): void
}

/**
 * Like ReadableStream.tee(), but reads the source only as fast as the slower
 * branch: tee() runs at the speed of the faster one and queues everything
 * for the other, which for a slow client and a fast cache write means the
 * whole image in memory. Each branch holds at most one chunk.
 */
export function teeInStep(source: ReadableStream<Uint8Array>): [Branch, Branch] {
  const reader = source.getReader()
  const branches = [0, 1].map(() => ({
    controller: undefined as ReadableStreamDefaultController<Uint8Array> | undefined,
    live: true,
    /** Set while the branch wants its next chunk. */
    waiting: undefined as (() => void) | undefined,
  }))

  // One read per round, once every live branch has asked for more.
  async function readIfAllWaiting(): Promise<void> {
    if (!branches.every((b) => !b.live || b.waiting)) return
    const waiters = branches.map((b) => b.waiting)
    for (const b of branches) b.waiting = undefined
    try {
      const next = await reader.read()
      for (const b of branches) {
        if (!b.live) continue
        if (next.done) b.controller!.close()
        else b.controller!.enqueue(next.value)
      }
    } catch (error) {
      for (const b of branches) if (b.live) b.controller!.error(error)
    }
    for (const resolve of waiters) resolve?.()
  }

  function leave(index: number, reason?: unknown): Promise<void> {
    branches[index].live = false
    branches[index].waiting?.()
    branches[index].waiting = undefined
    // An errored source rejects the cancel with its error, which the branches have had already.
    if (branches.every((b) => !b.live)) return reader.cancel(reason).catch(() => {})
    return readIfAllWaiting()
  }

  return branches.map((branch, index) => ({
    stream: new ReadableStream<Uint8Array>({
      start: (controller) => {
        branch.controller = controller
      },
      pull: () =>
        new Promise<void>((resolve) => {
          branch.waiting = resolve
          void readIfAllWaiting()
        }),
      cancel: (reason) => leave(index, reason),
    }),
    detach: () => void leave(index),
  })) as [Branch, Branch]
}

/**
 * The body as a native stream, for a Response: with a known length it goes out with Content-Length (workerd
 * otherwise sends it chunked), held to that length. Native also without one: when a JS stream errors (the
 * size limit) under cache.put, workerd reports the error as an uncaught rejection; through a native stream
 * the put just fails.
 */
export function withLength(stream: ReadableStream<Uint8Array>, length: number | null): ReadableStream<Uint8Array> {
  return stream.pipeThrough(length === null ? new IdentityTransformStream() : new FixedLengthStream(length))
}
