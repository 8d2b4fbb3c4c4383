/**
 * The image archive's contract, shared by the worker (which captures into the
 * IMAGES bucket and serves from it) and deploy (which says what to capture and
 * prunes): the bucket's key layout and the guarded endpoints' messages.
 *
 * Bucket layout:
 *   obj/<sha256 of the bytes>   the image, stored once however many URLs lead to it
 *   src/<sha256 of the URL>     empty; customMetadata (IndexEntry) says which object a source URL is
 * The URL is hashed as its UTF-8 bytes exactly as the page signs it, so keys
 * stay short whatever the URL's length (R2 keys end at 1,024 bytes).
 */

export const OBJECT_PREFIX = 'obj/'
export const INDEX_PREFIX = 'src/'

/** The endpoints, with `Authorization: Bearer <IMAGE_ARCHIVE_TOKEN>`; without the secret they do not exist. */
export const ARCHIVE_ENDPOINTS = {
  /** POST CaptureRequest → CaptureResponse. */
  capture: '/_images/capture',
  /** GET ?prefix=src/|obj/&cursor= → ListResponse. */
  list: '/_images/list',
  /** POST DeleteRequest → { deleted: number }. */
  delete: '/_images/delete',
}

/** Hex characters of a URL's hash that deploy records (48 bits: a false match among 10⁵ URLs is ~10⁻⁵). */
export const SHORT_HASH_CHARS = 12

const encoder = new TextEncoder()

/** SHA-256 in lowercase hex (WebCrypto: the worker and Node agree). */
export async function sha256Hex(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', typeof data === 'string' ? encoder.encode(data) : data)
  let hex = ''
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0')
  return hex
}

export function objectKey(sha256: string): string {
  return `${OBJECT_PREFIX}${sha256}`
}

/** The index key of a source URL, from its hash (sha256Hex of the URL). */
export function indexKey(urlHash: string): string {
  return `${INDEX_PREFIX}${urlHash}`
}

/** What the index keeps per source URL (as R2 customMetadata: strings only). */
export interface IndexEntry {
  url: string
  /** The object: sha256 of the bytes. */
  sha256: string
  /** The sniffed media type it is served with. */
  type: string
  /** Size in bytes, decimal. */
  bytes: string
  /** ISO 8601. */
  fetchedAt: string
  /** The source's validators, served again with the archived copy. */
  etag?: string
  lastModified?: string
}

export interface CaptureRequest {
  urls: string[]
}

/**
 * One URL's outcome. `archived`: the index already had it (nothing fetched).
 * `captured`: fetched and indexed now; `stored` says whether its bytes were new
 * (false: an object another URL had brought already). `failed`: the proxy's
 * refusal or the source's failure, as the proxy's error text (`404 image not
 * found upstream`). `deferred`: the request's budget ran out before it started.
 */
export type CaptureResult =
  | { url: string; status: 'archived'; sha256: string; bytes: number }
  | { url: string; status: 'captured'; sha256: string; bytes: number; stored: boolean }
  | { url: string; status: 'failed'; reason: string }
  | { url: string; status: 'deferred' }

export interface CaptureResponse {
  results: CaptureResult[]
  /** Images one request fetches (IMAGE_ARCHIVE_BATCH): how many URLs to send next time. */
  batch: number
}

export interface ListedObject {
  key: string
  size: number
  /** ISO 8601. */
  uploaded: string
  /** An index entry's object (sha256), for prune to know which objects are still used. */
  sha256?: string
}

/** R2 `list` options for a page of the archive: index entries with their metadata (the object they name). */
export function listOptions(
  prefix: string,
  cursor?: string,
): { prefix: string; cursor?: string; include?: ['customMetadata'] } {
  return { prefix, cursor, ...(prefix === INDEX_PREFIX && { include: ['customMetadata'] as ['customMetadata'] }) }
}

/** An R2 list entry as the endpoint (and a local deploy, reading the bucket itself) reports it. */
export function listedObject(object: {
  key: string
  size: number
  uploaded: Date
  customMetadata?: Record<string, string>
}): ListedObject {
  const sha256 = object.customMetadata?.sha256
  return { key: object.key, size: object.size, uploaded: object.uploaded.toISOString(), ...(sha256 && { sha256 }) }
}

export interface ListResponse {
  objects: ListedObject[]
  /** Present while there is more. */
  cursor?: string
}

/** At most R2's own limit for one delete call. */
export const MAX_DELETE_KEYS = 1000

export interface DeleteRequest {
  keys: string[]
}
