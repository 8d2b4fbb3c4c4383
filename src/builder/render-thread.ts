/** A render thread of pool.ts: renders each batch of bodies it is sent with the build's local links. */
import { parentPort } from 'node:worker_threads'
import { renderBody } from './render-body.ts'
import type { WorkerReply, WorkerRequest } from './render-pool.ts'

let localLinks = new Map<string, string>()

parentPort?.on('message', (request: WorkerRequest) => {
  if ('localLinks' in request) {
    localLinks = new Map(request.localLinks)
    return
  }
  let reply: WorkerReply
  try {
    reply = { bodies: request.batch.map((input) => renderBody(input, localLinks)) }
  } catch (err) {
    reply = { error: (err as Error).stack ?? String(err) }
  }
  parentPort?.postMessage(reply)
})
