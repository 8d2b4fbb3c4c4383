import type { ImageArchiveConfig, ImageProxyConfig } from '../../shared/config.ts'
import type { CaptureResult } from '../../shared/image-archive.ts'
import { ProxyError } from '../image-proxy/proxy-error.ts'
import { fetchImageBytes } from '../image-proxy/upstream.ts'
import { findArchived, storeImage } from './bucket.ts'

/** Images fetched at once: each holds a fetch and then an R2 put, under the 6 connections a request may open. */
const CONCURRENCY = 3
/** No image starts after this, so a request answers well within what an invocation may take. */
const TIME_BUDGET_MS = 15_000
/** Longer source URLs are refused: the index entry (8 KiB of metadata) must hold one. */
const MAX_URL_LENGTH = 3072

/**
 * Captures a batch of source URLs into the archive with the proxy's fetch rules
 * (same code: allowed hosts on every hop, Referer, sniffing, size and time
 * limits). A URL already indexed costs one R2 head and no fetch. The request
 * keeps to a budget — `batch` images fetched, `batchBytes` read, a time limit —
 * which on the Free plan keeps it within 50 subrequests (a fetch and its 4
 * redirects count 5) and its CPU; URLs it did not start are answered
 * `deferred`, for the caller to send again. Results are in the order of `urls`.
 */
export async function captureBatch(
  urls: readonly string[],
  bucket: R2Bucket,
  settings: ImageProxyConfig,
  budget: Pick<ImageArchiveConfig, 'batch' | 'batchBytes'>,
): Promise<CaptureResult[]> {
  const started = Date.now()
  let fetches = 0
  let bytesRead = 0
  const hasBudget = () =>
    fetches < budget.batch && bytesRead < budget.batchBytes && Date.now() - started < TIME_BUDGET_MS

  const captureOne = async (url: string): Promise<CaptureResult> => {
    if (!hasBudget()) return { url, status: 'deferred' }
    const entry = await findArchived(bucket, url)
    if (entry) return { url, status: 'archived', sha256: entry.sha256, bytes: Number(entry.bytes) }
    if (!hasBudget()) return { url, status: 'deferred' }
    fetches++
    try {
      if (url.length > MAX_URL_LENGTH) throw new ProxyError(414, 'source URL too long')
      const image = await fetchImageBytes(url, settings)
      bytesRead += image.bytes.byteLength
      return { url, status: 'captured', ...(await storeImage(bucket, url, image)) }
    } catch (error) {
      if (error instanceof ProxyError) return { url, status: 'failed', reason: `${error.status} ${error.message}` }
      throw error
    }
  }

  const results: CaptureResult[] = new Array(urls.length)
  let next = 0
  const lane = async () => {
    while (next < urls.length) {
      const index = next++
      results[index] = await captureOne(urls[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, urls.length) }, lane))
  return results
}
