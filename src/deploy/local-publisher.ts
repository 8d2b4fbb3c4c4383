import { watch } from 'node:fs'
import { isPostFileName } from '../builder/post-files.ts'
import { keys } from '../shared/schema.ts'
import { type ParsedState, parseRecorded } from './deploy.ts'
import type { ArchiveRecord } from './image-archive/record.ts'
import type { LocalState } from './local-state.ts'
import type { PurgeCache } from './purge-cache.ts'
import { deployTo, localTarget, type RunDeployOptions } from './run-deploy.ts'
import { DeployError } from './store.ts'

/** Changes closer together than this are one publish: a bot writing several posts, an editor's save. */
const SETTLE_MS = 50

export interface PublisherOptions extends Pick<RunDeployOptions, 'content' | 'out' | 'config'> {
  skipInvalid?: boolean
  /** Images waiting after a publish (capture them once a worker serves the state); none: no capture. */
  onImages?: (record: ArchiveRecord) => void
}

/**
 * Deploys the content folder into a local state this process keeps open —
 * modules loaded, workerd running — so a later publish costs only what
 * changed. One publish at a time; changes that arrive during one are
 * published by the next. A failed publish leaves the state as it was and says
 * why; the next change tries again.
 */
export class LocalPublisher {
  private readonly state: LocalState
  private readonly options: PublisherOptions
  private purge: PurgeCache | undefined
  /** The state the last publish recorded, read and parsed once it has finished. */
  private ahead: Promise<ParsedState | undefined> | undefined
  private running: Promise<boolean> | undefined
  /** The one publish queued behind the running one, whoever asks for it meanwhile. */
  private next: Promise<boolean> | undefined

  constructor(state: LocalState, options: PublisherOptions) {
    this.state = state
    this.options = options
  }

  /** Publishes what changed; true when the state holds the content folder as it was read. */
  publish(): Promise<boolean> {
    if (!this.running) {
      this.running = this.once().finally(() => {
        this.running = undefined
      })
      return this.running
    }
    this.next ??= this.running.then(() => {
      this.next = undefined
      return this.publish()
    })
    return this.next
  }

  /**
   * Once a worker serves the state, each publish purges what it changed from
   * that worker's render cache, as a deploy purges the edge: a page someone
   * saw before (a listing, a 404 at the new post's address) is not served
   * from cache after the post is live.
   */
  purgeThrough(purge: PurgeCache): void {
    this.purge = purge
  }

  /**
   * Publishes on every change under the content folder, until the returned
   * function is called. `published` hears each result with its wall time.
   */
  watch(published: (ok: boolean, seconds: number) => void): () => void {
    let timer: NodeJS.Timeout | undefined
    let last: Promise<boolean> | undefined
    const watcher = watch(this.options.content, { recursive: true }, (_event, name) => {
      if (!touchesPosts(name)) return
      clearTimeout(timer)
      timer = setTimeout(() => {
        const started = performance.now()
        const publishing = this.publish()
        // Changes during a publish share the one queued after it: report it once.
        if (publishing === last) return
        last = publishing
        void publishing.then((ok) => published(ok, (performance.now() - started) / 1000))
      }, SETTLE_MS)
    })
    return () => {
      clearTimeout(timer)
      watcher.close()
    }
  }

  private async once(): Promise<boolean> {
    // A fresh target each time: serve() restarts workerd, and bindings taken before it are stale.
    const target = { ...localTarget(this.state), close: async () => {} }
    // Used once: a publish that failed halfway may have changed what it was parsed into.
    const ahead = await this.ahead
    this.ahead = undefined
    let published: boolean
    try {
      published = await deployTo(target, {
        ...this.options,
        local: true,
        skipInvalid: this.options.skipInvalid ?? false,
        archive: this.options.onImages !== undefined,
        captureLater: this.options.onImages,
        purge: this.purge,
        recordedAhead: ahead,
      })
    } catch (err) {
      // npm start keeps serving whatever went wrong; the next change tries again.
      console.error(err instanceof DeployError ? `error: ${err.message}` : err)
      return false
    }
    // After this publish has answered; the next one waits for it only if it comes within these few
    // hundred milliseconds. Any failure just means the next publish parses for itself.
    if (published)
      this.ahead = target.store.get(keys.deployState).then(
        (text) => parseRecorded(text),
        () => undefined,
      )
    return published
  }
}

/**
 * Could this change publish something? A post file, or a folder (renamed or
 * removed with its posts); not hidden files (an editor's swap file, a state
 * folder kept inside the content folder) nor other files beside the posts.
 */
function touchesPosts(name: string | null): boolean {
  if (name === null) return true
  const parts = name.split(/[\\/]/)
  const base = parts[parts.length - 1]
  return !parts.some((part) => part.startsWith('.')) && (isPostFileName(base) || !base.includes('.'))
}
