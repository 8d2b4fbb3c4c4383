import type { CaptureResult } from '../../shared/image-archive.ts'
import { defaultRetry, type RetryPolicy, withRetry } from '../retry.ts'
import type { CaptureImages } from './worker-client.ts'

/** URLs in the first request, before the worker says how many it takes (its IMAGE_ARCHIVE_BATCH). */
const FIRST_BATCH = 8
/** However many the worker would take, a request stays small. */
const MAX_BATCH = 100
/** Requests in flight: each runs a few fetches in the worker; more would only queue there. */
export const DEFAULT_CONCURRENCY = 2

export interface CaptureOptions {
  concurrency?: number
  /** Stop sending once this many bytes were captured (a deploy's budget); the rest waits for the next deploy. */
  maxBytes?: number
  retry?: Partial<RetryPolicy>
  onProgress?: (done: number, total: number, bytes: number) => void
}

export interface CaptureOutcome {
  /** What the worker said of each URL it finished (captured, archived, failed). */
  results: Map<string, CaptureResult>
  /** URLs not done: the budget ran out, or capture stopped. */
  notDone: string[]
  /** Why capture stopped early, when it did (the endpoint failing beyond retries). */
  error?: string
  seconds: number
}

/**
 * Sends the URLs to the worker's capture endpoint in batches, a few requests
 * at a time; what the worker defers (its per-request budget) is sent again.
 * Failures of the endpoint itself are retried with deploy's backoff; if they
 * persist, capture stops and says why — what was done so far is kept.
 */
export async function captureAll(
  urls: readonly string[],
  capture: CaptureImages,
  options: CaptureOptions = {},
): Promise<CaptureOutcome> {
  const started = performance.now()
  const retry = { ...defaultRetry, ...options.retry }
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY
  const queue = [...new Set(urls)]
  const total = queue.length
  const results = new Map<string, CaptureResult>()
  let batch = FIRST_BATCH
  let bytes = 0
  let error: string | undefined

  const lane = async () => {
    while (queue.length > 0 && bytes < maxBytes && error === undefined) {
      const sent = queue.splice(0, batch)
      let answered: CaptureResult[]
      try {
        const response = await withRetry(`capturing ${sent.length} images`, () => capture(sent), retry)
        batch = Math.max(1, Math.min(MAX_BATCH, Math.floor(response.batch) || FIRST_BATCH))
        answered = response.results
      } catch (err) {
        error = (err as Error).message
        queue.unshift(...sent)
        return
      }
      const byUrl = new Map(answered.map((result) => [result.url, result]))
      let finished = 0
      for (const url of sent) {
        const result = byUrl.get(url)
        if (!result || result.status === 'deferred') {
          queue.push(url)
          continue
        }
        results.set(url, result)
        finished++
        if (result.status === 'captured') bytes += result.bytes
      }
      // A worker that starts nothing would be asked forever.
      if (finished === 0) error ??= `the worker captured none of ${sent.length} images it was sent (its budget?)`
      options.onProgress?.(results.size, total, bytes)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY) }, lane))
  return { results, notDone: queue, error, seconds: (performance.now() - started) / 1000 }
}
