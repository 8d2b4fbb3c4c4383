import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileKey } from './build-cache.ts'
import { readPostFile } from './post-files.ts'

/** [size, mtime in ms, inode, name in the content folder, fileKey] of a content file, by absolute path. */
type Stat = [number, number, number, string, string]

/** Files changed this recently are hashed again next time: a write within the clock's step would not show. */
const RACY_MS = 2000

/**
 * The hash of each content file under its size, modification time and inode,
 * kept beside the build cache (what git's index does), so a rebuild on this
 * machine reads only the files that changed instead of 10,000 of them. Only a
 * speed-up: without it (a fresh checkout, BUILD_CACHE=off) every file is read.
 */
export class FileStats {
  private readonly known: Map<string, Stat>
  private readonly seen = new Map<string, Stat>()
  private readonly path: string | undefined

  private constructor(path: string | undefined) {
    this.path = path
    let known: [string, Stat][] = []
    try {
      if (path) known = JSON.parse(readFileSync(path, 'utf8'))
    } catch {
      // none yet, or unreadable: every file is read
    }
    this.known = new Map(known)
  }

  /** The stats kept in `cacheDir`, or none. */
  static open(cacheDir: string | undefined): FileStats {
    return new FileStats(cacheDir && join(cacheDir, 'file-stats.json'))
  }

  /** `fileKey` of the content file at `path`, named `file`: from its stats when they are unchanged, else read. */
  key(path: string, file: string): string {
    const { size, mtimeMs, ino } = statSync(path)
    const known = this.known.get(path)
    const key =
      known && known[0] === size && known[1] === mtimeMs && known[2] === ino && known[3] === file
        ? known[4]
        : fileKey(file, readPostFile(path))
    this.seen.set(path, [size, mtimeMs, ino, file, key])
    return key
  }

  /** Keeps the stats of this build's files. */
  save(): void {
    if (!this.path) return
    const settled = Date.now() - RACY_MS
    const entries = [...this.seen].filter(([, stat]) => stat[1] < settled)
    try {
      mkdirSync(join(this.path, '..'), { recursive: true })
      const temporary = `${this.path}.${process.pid}.tmp`
      writeFileSync(temporary, JSON.stringify(entries))
      renameSync(temporary, this.path)
    } catch {
      // a read-only or full disk only costs the next build time
    }
  }
}
