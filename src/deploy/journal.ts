import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * What an unfinished deploy already did, kept on disk after every request so
 * that running deploy again resumes instead of starting over. It is only valid
 * on top of the deploy state it started from (`base`); any other base means
 * KV has moved on, and the journal is ignored.
 */
export interface JournalData {
  base: string
  /** key → hash written, or null for deleted. */
  landed: Record<string, string | null>
  /** Fingerprint of worker code published by this run. */
  code?: string
}

export class Journal {
  readonly path: string

  constructor(path: string) {
    this.path = path
  }

  /** The journal for `base`, or an empty one. */
  async read(base: string): Promise<JournalData> {
    let data: JournalData | undefined
    try {
      data = JSON.parse(await readFile(this.path, 'utf8')) as JournalData
    } catch {
      data = undefined
    }
    if (data?.base !== base || typeof data.landed !== 'object' || data.landed === null) return { base, landed: {} }
    return data
  }

  /** Replaces the file atomically, so a crash mid-write leaves the previous journal. */
  async write(data: JournalData): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true })
    const temp = `${this.path}.${process.pid}.tmp`
    await writeFile(temp, JSON.stringify(data))
    await rename(temp, this.path)
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true })
  }
}
