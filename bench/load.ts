import type { EventEmitter } from 'node:events'
import autocannon from 'autocannon'
import { summarise } from './stats.ts'

export interface LoadOptions {
  url: string
  headers?: Record<string, string>
  connections: number
  seconds: number
}

export interface LoadResult {
  requestsPerSecond: number
  /** Latency in ms, from every response (autocannon's own histogram keeps whole milliseconds only). */
  p50: number
  p99: number
  requests: number
}

/**
 * Closed-loop load from `connections` keep-alive connections for `seconds`
 * (autocannon, in this process). Any non-2xx answer or connection error makes
 * the run worthless, and an error.
 */
export async function load({ url, headers, connections, seconds }: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, connections, duration: seconds }, (err, done) =>
      err ? reject(err) : resolve(done),
    )
    // The run emits every response (its typings list the event for clients only, without the client argument).
    const events = instance as unknown as EventEmitter
    events.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => latencies.push(time))
  })
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors in ${result['2xx']} requests`)
  }
  const latency = summarise(latencies)
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50: latency.median,
    p99: latency.p99,
    requests: result['2xx'],
  }
}
