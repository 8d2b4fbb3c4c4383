import {
  INDEX_PREFIX,
  type IndexEntry,
  indexKey,
  OBJECT_PREFIX,
  objectKey,
  sha256Hex,
} from '../../shared/image-archive.ts'
import { type BufferedImage, IMAGE_HEADERS } from '../image-proxy/upstream.ts'

/**
 * The image archive in the IMAGES bucket (layout: shared/image-archive.ts):
 * images stored once by the hash of their bytes, and an index entry per source
 * URL naming its object. The proxy serves from it; capture and write-through
 * fill it.
 */

/** The index entry of a source URL, or null when it is not archived. One R2 head. */
export async function findArchived(bucket: R2Bucket, url: string): Promise<IndexEntry | null> {
  const head = await bucket.head(indexKey(await sha256Hex(url)))
  const entry = head?.customMetadata
  return entry && isIndexEntry(entry) ? entry : null
}

export interface StoredImage {
  sha256: string
  bytes: number
  /** False when the object was there already (the same bytes under another URL). */
  stored: boolean
}

/**
 * Archives an image fetched from `url`: the object, created only if absent
 * (an object is its bytes; R2 checks them against the hash), then the index
 * entry, so an entry never names an object that is not there.
 */
export async function storeImage(bucket: R2Bucket, url: string, image: BufferedImage): Promise<StoredImage> {
  const sha256 = await sha256Hex(image.bytes)
  const type = image.headers.get('content-type') ?? 'application/octet-stream'
  const created = await bucket.put(objectKey(sha256), image.bytes, {
    sha256,
    onlyIf: { etagDoesNotMatch: '*' },
    httpMetadata: { contentType: type },
  })
  const etag = image.headers.get('etag')
  const lastModified = image.headers.get('last-modified')
  const entry: IndexEntry = {
    url,
    sha256,
    type,
    bytes: String(image.bytes.byteLength),
    fetchedAt: new Date().toISOString(),
    ...(etag && { etag }),
    ...(lastModified && { lastModified }),
  }
  await bucket.put(indexKey(await sha256Hex(url)), '', { customMetadata: { ...entry } })
  return { sha256, bytes: image.bytes.byteLength, stored: created !== null }
}

/** The stored bytes of an index entry, or null when its object is gone (a prune raced the request). */
export function readObject(bucket: R2Bucket, entry: IndexEntry): Promise<R2ObjectBody | null> {
  return bucket.get(objectKey(entry.sha256))
}

/**
 * An archived image's headers: the proxy's, as the image was first served —
 * the sniffed type, its length, and the source's validators (a reader's copy
 * revalidates the same whether the edge cache, the archive or the source
 * answers). Without a source ETag, the hash of the bytes is one.
 */
export function archivedHeaders(entry: IndexEntry): Headers {
  const headers = new Headers(IMAGE_HEADERS)
  headers.set('content-type', entry.type)
  headers.set('content-length', entry.bytes)
  headers.set('etag', entry.etag ?? `"${entry.sha256}"`)
  if (entry.lastModified) headers.set('last-modified', entry.lastModified)
  return headers
}

/** Keys prune may delete: the archive's own, nothing else in the bucket. */
export function isArchiveKey(key: string): boolean {
  const prefix = [INDEX_PREFIX, OBJECT_PREFIX].find((p) => key.startsWith(p))
  return prefix !== undefined && /^[0-9a-f]{64}$/.test(key.slice(prefix.length))
}

function isIndexEntry(metadata: Record<string, string>): metadata is Record<string, string> & IndexEntry {
  return (
    typeof metadata.url === 'string' &&
    /^[0-9a-f]{64}$/.test(metadata.sha256 ?? '') &&
    typeof metadata.type === 'string' &&
    /^\d+$/.test(metadata.bytes ?? '')
  )
}
