import { createHash } from 'node:crypto'
import { constants, gunzipSync, gzipSync } from 'node:zlib'
import type { BuildState } from '../builder/build-state.ts'
import { keys } from '../shared/schema.ts'
import { DeployError } from './store.ts'

/** The value deploy keeps under `keys.deployState`: what the last complete deploy left in the namespace. */
export interface DeployState {
  schema: 1
  deployedAt: string
  /** Every key the deploy wrote, with the hash of its value. */
  keys: Record<string, string>
  /** Fingerprint of the worker bundle last published with `wrangler deploy`. */
  code?: string
  /**
   * What the build that made these keys leaves for the next one (builder/build-state.ts), so a
   * machine without the build cache renders only what changed. Stored as base64 of gzipped JSON:
   * about 10 times smaller (it is read and written by every deploy, and must fit KV's 25 MiB).
   */
  build?: BuildState
}

/** The keys deploy keeps its own records under: never written by a build, never deleted as stale. */
export const DEPLOY_RECORDS: ReadonlySet<string> = new Set([keys.deployState, keys.deployImages])

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Identifies a value: equal hashes mean the stored value need not be written again. */
export function valueHash(value: string): string {
  return sha256(value).slice(0, 16)
}

/** The state as stored. */
export function serialiseDeployState({ build, ...state }: DeployState): string {
  // The fastest level: every deploy writes it, and the records compress well at any level.
  const gzip = (text: string) => gzipSync(text, { level: constants.Z_BEST_SPEED }).toString('base64')
  return JSON.stringify(build ? { ...state, build: gzip(JSON.stringify(build)) } : state)
}

/** Reads the recorded state; null when none was recorded. A value of another shape is an error, not a blank slate. */
export function parseDeployState(text: string | null): DeployState | null {
  if (text === null) return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  const v = value as Partial<DeployState> | undefined
  const keysOk =
    typeof v?.keys === 'object' && v.keys !== null && Object.values(v.keys).every((h) => typeof h === 'string')
  if (v?.schema !== 1 || typeof v.deployedAt !== 'string' || !keysOk) {
    throw new DeployError(
      'the recorded deploy state is not readable; run deploy with --reconcile to rebuild it from the keys in KV',
      false,
    )
  }
  return { ...(v as DeployState), build: readBuild(v.build) }
}

/** An unreadable build record only costs a full build, so it is dropped rather than refused. */
function readBuild(stored: unknown): BuildState | undefined {
  if (typeof stored !== 'string') return undefined
  try {
    const build = JSON.parse(gunzipSync(Buffer.from(stored, 'base64')).toString()) as Partial<BuildState>
    const ok =
      typeof build.version === 'string' &&
      typeof build.files === 'object' &&
      build.files !== null &&
      Array.isArray(build.unpublishedLinks)
    return ok ? (build as BuildState) : undefined
  } catch {
    return undefined
  }
}
