import {
  INDEX_PREFIX,
  type ListedObject,
  MAX_DELETE_KEYS,
  OBJECT_PREFIX,
  SHORT_HASH_CHARS,
} from '../../shared/image-archive.ts'
import type { ArchiveBucket } from './worker-client.ts'

export interface PruneReport {
  /** Index entries (source URLs) no post shows. */
  entries: number
  /** Objects no remaining index entry names, and their bytes. */
  objects: number
  bytes: number
  /** Hashes of the URLs whose entries went (or would go): the record forgets them. */
  forgotten: Set<string>
  removed: boolean
}

/**
 * The orphan sweep (`--prune-images`): index entries whose URL no post of the
 * build shows, then objects no remaining entry names. Entries go first, so a
 * reader never finds an entry without its object (but for a first view that
 * writes through onto an object being removed; its next view fetches the
 * source again). Keys written after the sweep started are left alone: a
 * capture or first view running meanwhile keeps what it wrote. Without
 * `remove` it only counts.
 */
export async function pruneImages(
  bucket: ArchiveBucket,
  referenced: ReadonlySet<string>,
  options: { remove: boolean; startedAt?: Date },
): Promise<PruneReport> {
  const before = (options.startedAt ?? new Date()).toISOString()
  const old = (object: ListedObject) => object.uploaded < before
  const entries = await listAll(bucket, INDEX_PREFIX)
  const orphanEntries = entries.filter((entry) => old(entry) && !referenced.has(urlHashOf(entry)))
  const gone = new Set(orphanEntries.map((entry) => entry.key))
  if (options.remove) await deleteAll(bucket, [...gone])
  // What the entries that stay name; an entry without its hash keeps every object (none is known unused).
  const kept = entries.filter((entry) => !gone.has(entry.key))
  if (kept.some((entry) => !entry.sha256)) return report(orphanEntries, [], options.remove)
  const used = new Set(kept.map((entry) => entry.sha256))
  const orphanObjects = (await listAll(bucket, OBJECT_PREFIX)).filter(
    (object) => old(object) && !used.has(object.key.slice(OBJECT_PREFIX.length)),
  )
  if (options.remove)
    await deleteAll(
      bucket,
      orphanObjects.map((object) => object.key),
    )
  return report(orphanEntries, orphanObjects, options.remove)
}

function report(entries: ListedObject[], objects: ListedObject[], removed: boolean): PruneReport {
  return {
    entries: entries.length,
    objects: objects.length,
    bytes: objects.reduce((n, object) => n + object.size, 0),
    forgotten: new Set(entries.map(urlHashOf)),
    removed,
  }
}

/** The short hashes (as deploy records them) of every source URL the bucket's index holds. */
export async function indexedHashes(bucket: ArchiveBucket): Promise<Set<string>> {
  return new Set((await listAll(bucket, INDEX_PREFIX)).map(urlHashOf))
}

/** An index key is `src/<sha256 of the URL>`; deploy knows URLs by the first characters of that hash. */
function urlHashOf(entry: ListedObject): string {
  return entry.key.slice(INDEX_PREFIX.length, INDEX_PREFIX.length + SHORT_HASH_CHARS)
}

async function listAll(bucket: ArchiveBucket, prefix: string): Promise<ListedObject[]> {
  const all: ListedObject[] = []
  let cursor: string | undefined
  do {
    const page = await bucket.list(prefix, cursor)
    all.push(...page.objects)
    cursor = page.cursor
  } while (cursor)
  return all
}

async function deleteAll(bucket: ArchiveBucket, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += MAX_DELETE_KEYS) await bucket.delete(keys.slice(i, i + MAX_DELETE_KEYS))
}
