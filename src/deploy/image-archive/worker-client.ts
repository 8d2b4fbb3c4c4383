import {
  ARCHIVE_ENDPOINTS,
  type CaptureResponse,
  type ListedObject,
  type ListResponse,
} from '../../shared/image-archive.ts'
import { DeployError } from '../store.ts'

/** Sends URLs to capture; answers per URL (captured, archived, failed, deferred). */
export type CaptureImages = (urls: string[]) => Promise<CaptureResponse>

/** The archive's keys, for prune: listed a page at a time, deleted in batches. */
export interface ArchiveBucket {
  list(prefix: string, cursor?: string): Promise<{ objects: ListedObject[]; cursor?: string }>
  delete(keys: string[]): Promise<void>
}

/**
 * The worker's archive endpoints (src/worker/image-archive/routes.ts) at
 * `site` — the deployed site, or a local wrangler dev — with the bearer token.
 * Network failures, 429 and 5xx are transient (deploy's retry); anything else
 * stops.
 */
export function archiveEndpoints(site: string, token: string): { capture: CaptureImages; bucket: ArchiveBucket } {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const url = new URL(path, site).href
    let response: Response
    try {
      response = await fetch(url, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      })
    } catch (err) {
      throw new DeployError(`image archive at ${url}: ${(err as Error).message}`, true)
    }
    if (response.ok) return (await response.json()) as T
    const text = (await response.text()).slice(0, 200)
    const retryAfter = Number(response.headers.get('retry-after'))
    const hint =
      response.status === 404 ? ' (is IMAGE_ARCHIVE_TOKEN set as a secret of the worker?)' : text ? `: ${text}` : ''
    throw new DeployError(
      `image archive at ${url} answered ${response.status}${hint}`,
      response.status === 429 || response.status >= 500,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    )
  }
  return {
    capture: (urls) => call(ARCHIVE_ENDPOINTS.capture, { method: 'POST', body: JSON.stringify({ urls }) }),
    bucket: {
      list: (prefix, cursor) =>
        call<ListResponse>(`${ARCHIVE_ENDPOINTS.list}?${new URLSearchParams({ prefix, ...(cursor && { cursor }) })}`),
      delete: async (keys) => {
        await call(ARCHIVE_ENDPOINTS.delete, { method: 'POST', body: JSON.stringify({ keys }) })
      },
    },
  }
}
