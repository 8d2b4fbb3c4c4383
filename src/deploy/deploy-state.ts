import { createHash } from 'node:crypto'
import { DeployError } from './store.ts'

/** The value deploy keeps under `keys.deployState`: what the last complete deploy left in the namespace. */
export interface DeployState {
  schema: 1
  deployedAt: string
  /** Every key the deploy wrote, with the hash of its value. */
  keys: Record<string, string>
  /** Fingerprint of the worker bundle last published with `wrangler deploy`. */
  code?: string
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Identifies a value: equal hashes mean the stored value need not be written again. */
export function valueHash(value: string): string {
  return sha256(value).slice(0, 16)
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
  return v as DeployState
}
