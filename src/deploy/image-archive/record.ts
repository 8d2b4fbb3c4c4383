import { constants, gunzipSync, gzipSync } from 'node:zlib'
import { imageHash } from '../../builder/build-state.ts'
import { SHORT_HASH_CHARS } from '../../shared/image-archive.ts'
import { keys } from '../../shared/schema.ts'
import { defaultRetry, type RetryPolicy, withRetry } from '../retry.ts'
import type { KvStore } from '../store.ts'

/**
 * Deploy's record of the image archive (KV `deploy:images`), so a deploy sends
 * only what is not archived yet — no R2 operation for the thousands of images
 * of posts that did not change:
 *
 * - `archived`: the hashes (build-state.ts `imageHash`) of source URLs known to
 *   be in the bucket;
 * - `pending`: URLs some post shows that are not, with what happened when they
 *   were tried: never tried yet (--no-archive, npm start, a budget that ran
 *   out), or failed and waiting for their retry.
 *
 * Every image a post records (build state `images`) is in one or the other.
 * New URLs enter `pending` before the text is deployed, so a deploy that stops
 * after publishing loses none; one in neither (a lost or unreadable record)
 * has its post made again, which brings its URL back (phase.ts `reviveUnknown`).
 */
export interface ArchiveRecord {
  archived: Set<string>
  pending: Map<string, PendingImage>
}

export interface PendingImage {
  url: string
  /** Captures tried and failed. */
  attempts: number
  /** The last failure, as the worker said it (`404 image not found upstream`). */
  reason?: string
  /** ISO 8601 time of the last attempt. */
  at?: string
}

/** Tries in all, and how long after each failure the next may come: the next deploy, then 6 h, then a day. */
export const MAX_ATTEMPTS = 4
const RETRY_AFTER_HOURS = [0, 6, 24]

export function emptyRecord(): ArchiveRecord {
  return { archived: new Set(), pending: new Map() }
}

/** May a deploy at `now` try this URL? */
export function isDue(image: PendingImage, now: Date): boolean {
  if (image.attempts === 0) return true
  if (image.attempts >= MAX_ATTEMPTS || !image.at) return false
  const waitMs = RETRY_AFTER_HOURS[image.attempts - 1] * 3_600_000
  return now.getTime() - Date.parse(image.at) >= waitMs
}

export function hashesOf(record: ArchiveRecord): Set<string> {
  return new Set([...record.archived, ...[...record.pending.keys()].map(imageHash)])
}

interface StoredRecord {
  schema: 1
  /** The archived hashes, sorted and concatenated, gzipped, in base64 (about a third of the text). */
  archived: string
  pending: PendingImage[]
}

export function serialiseRecord(record: ArchiveRecord): string {
  const archived = gzipSync([...record.archived].sort().join(''), { level: constants.Z_BEST_SPEED })
  const stored: StoredRecord = {
    schema: 1,
    archived: archived.toString('base64'),
    pending: [...record.pending.values()].sort((a, b) => a.url.localeCompare(b.url)),
  }
  return JSON.stringify(stored)
}

/**
 * Reads the record; none, or one this code cannot read, is an empty record:
 * that costs posts made again and URLs sent again (the worker answers
 * `archived` for those it has), never a lost image.
 */
export function parseRecord(text: string | null): ArchiveRecord {
  if (text === null) return emptyRecord()
  try {
    const stored = JSON.parse(text) as Partial<StoredRecord>
    if (stored.schema !== 1 || typeof stored.archived !== 'string' || !Array.isArray(stored.pending))
      return emptyRecord()
    const hashes = gunzipSync(Buffer.from(stored.archived, 'base64')).toString()
    const archived = new Set<string>()
    for (let at = 0; at < hashes.length; at += SHORT_HASH_CHARS) archived.add(hashes.slice(at, at + SHORT_HASH_CHARS))
    const pending = new Map(
      stored.pending.filter((p) => typeof p?.url === 'string' && typeof p.attempts === 'number').map((p) => [p.url, p]),
    )
    return { archived, pending }
  } catch {
    return emptyRecord()
  }
}

export async function readRecord(store: KvStore, retry: RetryPolicy = defaultRetry): Promise<ArchiveRecord> {
  return parseRecord(await withRetry('reading the image record', () => store.get(keys.deployImages), retry))
}

export async function writeRecord(store: KvStore, record: ArchiveRecord, retry: RetryPolicy = defaultRetry) {
  const value = serialiseRecord(record)
  await withRetry('recording the image archive', () => store.put([{ key: keys.deployImages, value }]), retry)
}
