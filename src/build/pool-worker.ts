/** A render thread of pool.ts: renders each batch of bodies it is sent with the build's local links. */
import { parentPort, workerData } from 'node:worker_threads'
import { type BodyInput, renderBody } from './body.ts'
import type { WorkerReply } from './pool.ts'

const localLinks = new Map<string, string>((workerData as { localLinks: [string, string][] }).localLinks)

parentPort?.on('message', (batch: BodyInput[]) => {
  let reply: WorkerReply
  try {
    reply = { bodies: batch.map((input) => renderBody(input, localLinks)) }
  } catch (err) {
    reply = { error: (err as Error).stack ?? String(err) }
  }
  parentPort?.postMessage(reply)
})
