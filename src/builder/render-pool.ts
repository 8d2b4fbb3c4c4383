import { Worker } from 'node:worker_threads'
import type { RenderedBody } from './build-cache.ts'
import { type BodyInput, renderBody } from './render-body.ts'

/**
 * Bodies to render before threads pay off: a thread spends about half a second
 * loading markdown-it and parse5, and a body costs about 5 ms of CPU.
 */
export const POOL_THRESHOLD = 1000
/** Bodies a thread gets at a time: enough to make messages cheap, few enough to share the tail. */
const BATCH = 16

/** What render-thread.ts is sent: the build's local links once, then batches of bodies. */
export type WorkerRequest = { localLinks: [string, string][] } | { batch: BodyInput[] }
/** What render-thread.ts answers to a batch. */
export type WorkerReply = { bodies: RenderedBody[] } | { error: string }

/**
 * Worker threads that render bodies. They start loading when created, so the
 * build creates them as soon as it knows there is much to render, while it
 * still reads files.
 */
export class RenderPool {
  private readonly workers: ReturnType<typeof startWorker>[]

  constructor(threads: number) {
    this.workers = Array.from({ length: threads }, startWorker)
  }

  /** Renders bodies in order; the output is the same as `renderBody` inline. */
  async render(
    inputs: BodyInput[],
    localLinks: ReadonlyMap<string, string>,
    onProgress?: (done: number) => void,
  ): Promise<RenderedBody[]> {
    const bodies: RenderedBody[] = new Array(inputs.length)
    let next = 0
    let done = 0
    await Promise.all(
      this.workers.map(async (worker) => {
        worker.send({ localLinks: [...localLinks] })
        while (next < inputs.length) {
          const start = next
          next += BATCH
          const batch = await worker.render(inputs.slice(start, start + BATCH))
          for (const [i, body] of batch.entries()) bodies[start + i] = body
          done += batch.length
          onProgress?.(done)
        }
      }),
    )
    return bodies
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }
}

/** Renders bodies in order, inline or in the pool's threads. */
export async function renderBodies(
  inputs: BodyInput[],
  localLinks: ReadonlyMap<string, string>,
  pool: RenderPool | undefined,
  onProgress?: (done: number) => void,
): Promise<RenderedBody[]> {
  if (pool) return pool.render(inputs, localLinks, onProgress)
  return inputs.map((input, i) => {
    const body = renderBody(input, localLinks)
    onProgress?.(i + 1)
    return body
  })
}

function startWorker() {
  // Node runs the thread's TypeScript itself (type stripping), under npm run as under vitest.
  const worker = new Worker(new URL('./render-thread.ts', import.meta.url))
  // A build that fails before rendering must still be able to exit.
  worker.unref()
  let failed: Error | undefined
  worker.on('error', (err) => (failed = err))
  return {
    send: (request: WorkerRequest) => worker.postMessage(request),
    render(batch: BodyInput[]): Promise<RenderedBody[]> {
      return new Promise((resolve, reject) => {
        if (failed) return reject(failed)
        const onExit = () => reject(failed ?? new Error('render thread stopped'))
        worker.once('exit', onExit)
        worker.once('message', (reply: WorkerReply) => {
          worker.off('exit', onExit)
          if ('error' in reply) reject(new Error(reply.error))
          else resolve(reply.bodies)
        })
        worker.postMessage({ batch } satisfies WorkerRequest)
      })
    },
    terminate: () => worker.terminate(),
  }
}
