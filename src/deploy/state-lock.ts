import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DeployError } from './store.ts'

/** Who holds a local state folder: a deploy writing it, or `npm start` serving and publishing into it. */
export interface LockHolder {
  pid: number
  role: 'deploy' | 'serve'
  /** Where `npm start` serves the folder. */
  url?: string
}

/**
 * One writer per local state folder, and none while `npm start` serves it:
 * the state is SQLite files that workerd opens in each process, and writes
 * beside a running `wrangler dev` fail on both sides (SQLITE_BUSY). The lock is
 * a file in the folder naming the process; a file whose process is gone is
 * taken over.
 */
export class StateLock {
  private readonly path: string
  private holder: LockHolder

  private constructor(path: string, holder: LockHolder) {
    this.path = path
    this.holder = holder
  }

  static take(persistTo: string, holder: Omit<LockHolder, 'pid'>): StateLock {
    const path = join(persistTo, 'lock.json')
    mkdirSync(persistTo, { recursive: true })
    const lock = new StateLock(path, { ...holder, pid: process.pid })
    for (let attempt = 0; ; attempt++) {
      try {
        writeFileSync(path, JSON.stringify(lock.holder), { flag: 'wx' })
        return lock
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err
      }
      const other = readHolder(path)
      if (other && other.pid !== process.pid && alive(other.pid)) throw new DeployError(heldBy(other, persistTo), false)
      rmSync(path, { force: true })
    }
  }

  /** The same process goes on holding the folder in another role (npm start: deploy, then serve). */
  become(holder: Omit<LockHolder, 'pid'>): void {
    this.holder = { ...holder, pid: process.pid }
    writeFileSync(this.path, JSON.stringify(this.holder))
  }

  release(): void {
    if (readHolder(this.path)?.pid === process.pid) rmSync(this.path, { force: true })
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function heldBy(holder: LockHolder, persistTo: string): string {
  if (holder.role === 'serve')
    return (
      `npm start (pid ${holder.pid}) is serving ${persistTo}${holder.url ? ` at ${holder.url}` : ''} and publishes ` +
      'what is saved into its content folder itself; a second writer would fail on both sides (SQLite locks). ' +
      'Save the posts there, or stop it (Ctrl-C) to deploy by hand, or deploy into another folder with --persist-to.'
    )
  return `another deploy (pid ${holder.pid}) is writing ${persistTo}; run this one when it is done`
}
