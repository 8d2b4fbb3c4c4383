import type { BuildState } from '../../builder/build-state.ts'
import { formatBytes, formatCount } from '../format.ts'
import type { KvStore } from '../store.ts'
import type { CaptureOptions } from './capture-all.ts'
import { type CaptureReport, captureDue, captureReportLines, dueImages, referencedImages } from './phase.ts'
import { pruneImages } from './prune.ts'
import { type ArchiveRecord, writeRecord } from './record.ts'
import type { ArchiveBucket, CaptureImages } from './worker-client.ts'

export interface ImagePhaseOptions extends CaptureOptions {
  store: KvStore
  /** The record as trackImages left it for this build (saved before the text was deployed). */
  record: ArchiveRecord
  /** The build just deployed: which images its posts show. */
  state: BuildState
  /** The worker's capture endpoint; absent: nothing is captured now (--no-archive, no token, or npm start's later run). */
  capture?: CaptureImages
  /** Why there is no `capture`, said once in the report. */
  noCapture?: string
  /** --prune-images: the bucket to sweep, and whether to remove (otherwise list only). */
  prune?: { bucket: ArchiveBucket; remove: boolean }
  log: (line: string) => void
  now?: Date
}

/**
 * After the text is live: capture what is due, sweep orphans when asked, save
 * the record, report. Nothing here fails the deploy — the text is published
 * already; a failure is reported and the next deploy tries again.
 */
export async function archiveImages(
  options: ImagePhaseOptions,
): Promise<{ record: ArchiveRecord; report?: CaptureReport }> {
  const { log } = options
  let record = options.record
  let report: CaptureReport | undefined
  const before = record
  try {
    const due = dueImages(record, options.now ?? new Date())
    if (due.length === 0) log('images: nothing to capture')
    else if (options.capture) {
      const captured = await captureDue(record, options.capture, options)
      record = captured.record
      report = captured.report
      for (const line of captureReportLines(report)) log(line)
    } else {
      log(
        `images: ${formatCount(due.length, 'image')} wait for capture${options.noCapture ? `: ${options.noCapture}` : ''}`,
      )
    }
    if (options.prune) {
      const pruned = await pruneImages(options.prune.bucket, referencedImages(options.state), {
        remove: options.prune.remove,
        startedAt: options.now,
      })
      if (pruned.removed) record = { archived: withoutAll(record.archived, pruned.forgotten), pending: record.pending }
      log(
        `images: ${pruned.removed ? 'pruned' : 'would prune'} ${formatCount(pruned.entries, 'source URL')} no post shows ` +
          `and ${formatCount(pruned.objects, 'object')} (${formatBytes(pruned.bytes)})`,
      )
    }
  } catch (err) {
    log(`warning: image archive: ${(err as Error).message} (the text is published; the next deploy tries again)`)
  }
  if (record !== before) {
    try {
      await writeRecord(options.store, record)
    } catch (err) {
      log(`warning: image archive: ${(err as Error).message} (the next deploy asks the worker again)`)
    }
  }
  return { record, report }
}

function withoutAll(set: ReadonlySet<string>, gone: ReadonlySet<string>): Set<string> {
  return new Set([...set].filter((item) => !gone.has(item)))
}
