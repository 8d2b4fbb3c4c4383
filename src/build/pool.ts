import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { type BodyInput, renderBody } from './body.ts'
import type { RenderedBody } from './cache.ts'

/** Below this many bodies to render, starting threads costs more than it saves. */
export const POOL_THRESHOLD = 200
/** Bodies a thread gets at a time: enough to make messages cheap, few enough to share the tail. */
const BATCH = 16

export interface RenderOptions {
  threads: number
  onProgress?: (done: number) => void
}

/** Renders bodies in order, inline or spread over worker threads; the output is the same either way. */
export async function renderBodies(inputs: BodyInput[], localLinks: ReadonlyMap<string, string>, { threads, onProgress }: RenderOptions): Promise<RenderedBody[]> {
  if (threads <= 1 || inputs.length <= BATCH) {
    return inputs.map((input, i) => {
      const body = renderBody(input, localLinks)
      onProgress?.(i + 1)
      return body
    })
  }
  const bodies: RenderedBody[] = new Array(inputs.length)
  const workers = Array.from({ length: Math.min(threads, Math.ceil(inputs.length / BATCH)) }, () => startWorker(localLinks))
  let next = 0
  let done = 0
  try {
    await Promise.all(
      workers.map(async (worker) => {
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
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()))
  }
  return bodies
}

/**
 * The thread runs TypeScript through tsx, whether the build runs under tsx or under vitest (whose
 * module runner has no import.meta.resolve).
 */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/** What pool-worker.ts answers to a batch. */
export type WorkerReply = { bodies: RenderedBody[] } | { error: string }

function startWorker(localLinks: ReadonlyMap<string, string>) {
  const worker = new Worker(new URL('./pool-worker.ts', import.meta.url), {
    workerData: { localLinks: [...localLinks] },
    execArgv: ['--import', TSX],
  })
  let failed: Error | undefined
  worker.on('error', (err) => (failed = err))
  return {
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
        worker.postMessage(batch)
      })
    },
    stop: () => worker.terminate(),
  }
}
