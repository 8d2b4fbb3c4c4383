import { type BuildState, imageHash, recordedImages } from '../../builder/build-state.ts'
import type { CaptureResult } from '../../shared/image-archive.ts'
import { formatBytes, formatCount } from '../format.ts'
import { type CaptureOptions, captureAll } from './capture-all.ts'
import { type ArchiveRecord, hashesOf, isDue, MAX_ATTEMPTS } from './record.ts'
import type { CaptureImages } from './worker-client.ts'

/**
 * The image archive's part of a deploy (docs: README "Image archive"): the
 * record says which URLs are archived and which wait; the text is published
 * first and never waits for images; capture runs after, and what fails is
 * tried again by a later deploy.
 */

/** Every image hash some post of the build shows. */
export function referencedImages(state: BuildState): Set<string> {
  return new Set(Object.values(state.files).flatMap(recordedImages))
}

/**
 * The previous build with the posts whose images the record does not know
 * marked for making again (an empty source matches no file), so the build
 * gives their URLs back. Happens when the record was lost, or the local bucket
 * was emptied; costs a render each, and no KV write when the text is the same.
 */
export function reviveUnknown(build: BuildState | undefined, record: ArchiveRecord): BuildState | undefined {
  if (!build) return build
  const known = hashesOf(record)
  let revived = false
  const files = Object.entries(build.files).map(([file, post]) => {
    if (recordedImages(post).every((hash) => known.has(hash))) return [file, post]
    revived = true
    return [file, { ...post, source: '' }]
  })
  return revived ? { ...build, files: Object.fromEntries(files) } : build
}

/**
 * The record for this build: each URL of the posts it made that is not
 * archived waits for capture; what no post shows any more stops waiting.
 * Archived hashes stay (the bytes stay in the bucket until a prune).
 */
export function trackImages(
  record: ArchiveRecord,
  state: BuildState,
  made: ReadonlyMap<string, readonly string[]>,
): { record: ArchiveRecord; changed: boolean } {
  const referenced = referencedImages(state)
  const pending = new Map([...record.pending].filter(([url]) => referenced.has(imageHash(url))))
  let changed = pending.size !== record.pending.size
  for (const urls of made.values()) {
    for (const url of urls) {
      if (pending.has(url) || record.archived.has(imageHash(url))) continue
      pending.set(url, { url, attempts: 0 })
      changed = true
    }
  }
  return { record: { archived: record.archived, pending }, changed }
}

/** The local bucket is the truth locally (listing it is free): archived is what it holds. */
export function settleWithBucket(record: ArchiveRecord, bucketHashes: ReadonlySet<string>): ArchiveRecord {
  const pending = new Map([...record.pending].filter(([url]) => !bucketHashes.has(imageHash(url))))
  return { archived: new Set(bucketHashes), pending }
}

/** URLs a deploy at `now` sends: waiting, and not failed too often or too recently. */
export function dueImages(record: ArchiveRecord, now: Date): string[] {
  return [...record.pending.values()].filter((image) => isDue(image, now)).map((image) => image.url)
}

export interface CaptureReport {
  captured: number
  /** Bytes of objects new to the bucket (an image already stored under another URL adds none). */
  bytesAdded: number
  /** The worker had them already (an earlier run whose record was not saved, or another URL). */
  alreadyArchived: number
  failed: { url: string; reason: string; attempts: number }[]
  /** Sent but not done: the byte budget ran out, or the endpoint failed (`error`). */
  notDone: number
  /** Waiting for a later deploy: failed recently, or too often. */
  waiting: number
  givenUp: number
  error?: string
  seconds: number
}

/** Captures what is due and folds the answers into the record (a new one; the given one is left as it was). */
export async function captureDue(
  record: ArchiveRecord,
  capture: CaptureImages,
  options: CaptureOptions & { now?: Date } = {},
): Promise<{ record: ArchiveRecord; report: CaptureReport }> {
  const now = options.now ?? new Date()
  const due = dueImages(record, now)
  const sent = new Set(due)
  const outcome = await captureAll(due, capture, options)
  const archived = new Set(record.archived)
  const pending = new Map(record.pending)
  const report: CaptureReport = {
    captured: 0,
    bytesAdded: 0,
    alreadyArchived: 0,
    failed: [],
    notDone: outcome.notDone.length,
    waiting: 0,
    givenUp: 0,
    error: outcome.error,
    seconds: outcome.seconds,
  }
  for (const result of outcome.results.values()) settle(result)
  for (const image of pending.values()) {
    if (image.attempts >= MAX_ATTEMPTS) report.givenUp++
    else if (!sent.has(image.url)) report.waiting++
  }
  return { record: { archived, pending }, report }

  function settle(result: CaptureResult) {
    if (result.status === 'deferred') return
    if (result.status === 'failed') {
      const attempts = (pending.get(result.url)?.attempts ?? 0) + 1
      pending.set(result.url, { url: result.url, attempts, reason: result.reason, at: now.toISOString() })
      report.failed.push({ url: result.url, reason: result.reason, attempts })
      return
    }
    archived.add(imageHash(result.url))
    pending.delete(result.url)
    if (result.status === 'archived') report.alreadyArchived++
    else {
      report.captured++
      if (result.stored) report.bytesAdded += result.bytes
    }
  }
}

/** Failed URLs listed one a line up to this many; the rest are counted by reason. */
const LISTED_FAILURES = 20

export function captureReportLines(report: CaptureReport): string[] {
  const reasons = new Map<string, number>()
  for (const { reason } of report.failed) reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
  const byReason = [...reasons].map(([reason, n]) => `${reason} ×${n}`).join(', ')
  const lines = [
    `images: ${report.captured} captured (+${formatBytes(report.bytesAdded)}), ` +
      `${report.alreadyArchived} already archived, ${report.failed.length} failed${byReason ? ` (${byReason})` : ''} ` +
      `in ${report.seconds.toFixed(1)} s`,
  ]
  for (const failure of report.failed.slice(0, LISTED_FAILURES))
    lines.push(`  failed (try ${failure.attempts} of ${MAX_ATTEMPTS}): ${failure.url}: ${failure.reason}`)
  if (report.failed.length > LISTED_FAILURES) lines.push(`  … and ${report.failed.length - LISTED_FAILURES} more`)
  if (report.notDone > 0)
    lines.push(`  ${formatCount(report.notDone, 'image')} not done yet: the next deploy sends them`)
  if (report.error) lines.push(`  capture stopped: ${report.error}`)
  if (report.waiting > 0) lines.push(`  ${formatCount(report.waiting, 'image')} wait for a later retry`)
  if (report.givenUp > 0)
    lines.push(`  ${formatCount(report.givenUp, 'image')} failed ${MAX_ATTEMPTS} times and are no longer tried`)
  return lines
}
