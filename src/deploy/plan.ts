import type { KvEntry } from '../shared/schema.ts'
import { keys } from '../shared/schema.ts'
import { DEPLOY_RECORDS, valueHash } from './deploy-state.ts'

/**
 * Content is what listings link to (posts); every other key the build writes
 * (home, pages, tag lists, feeds, sitemap, …) is a listing. A new kind of
 * content key is one more prefix here.
 */
const CONTENT_PREFIXES: readonly string[] = [keys.post('')]

export type Phase = 'content' | 'listings'
export type Action = 'add' | 'change' | 'delete'

export function phaseOf(key: string): Phase {
  return CONTENT_PREFIXES.some((prefix) => key.startsWith(prefix)) ? 'content' : 'listings'
}

/**
 * The order that keeps every link valid while a deploy is under way: what is
 * linked to is written before what links to it (new keys before changed ones,
 * since a changed post may now link to a new neighbour; content before
 * listings), and nothing is deleted until every listing that linked to it has
 * been replaced. The code switch (`wrangler deploy`) happens between the last
 * put and the first delete.
 */
export const STEP_ORDER: readonly (readonly [Phase, Action])[] = [
  ['content', 'add'],
  ['content', 'change'],
  ['listings', 'add'],
  ['listings', 'change'],
  ['listings', 'delete'],
  ['content', 'delete'],
]

export interface BuiltKey {
  key: string
  hash: string
  bytes: number
}

export interface Step {
  phase: Phase
  action: Action
  /** Keys still to write (or delete) in this step. */
  keys: BuiltKey[]
  bytes: number
}

export interface Plan {
  /** Non-empty steps, in STEP_ORDER. */
  steps: Step[]
  puts: number
  deletes: number
  /** Bytes of the values still to put. */
  bytes: number
  /** Keys whose value is already the one in KV. */
  unchanged: number
  /** Keys an interrupted earlier run already wrote or deleted. */
  resumed: number
  /** Keys that differ from the last complete deploy: what caches may hold stale. */
  changed: string[]
  /** The key → hash map this deploy records when it is done. */
  next: Record<string, string>
}

/** Hash and size of each entry of a build, in the build's order. */
export function describeEntries(entries: readonly KvEntry[]): BuiltKey[] {
  return entries.map(({ key, value }) => ({ key, hash: valueHash(value), bytes: Buffer.byteLength(value) }))
}

/**
 * @param built    what the new build writes
 * @param recorded what the last complete deploy recorded (key → hash)
 * @param current  what is in KV now as far as deploy knows: `recorded` plus
 *                 what an interrupted run wrote ('' = present, value unknown)
 */
export function computePlan(
  built: readonly BuiltKey[],
  recorded: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string>,
): Plan {
  const work = new Map<string, BuiltKey[]>()
  const add = (phase: Phase, action: Action, item: BuiltKey) => {
    const id = `${phase} ${action}`
    const items = work.get(id)
    if (items) items.push(item)
    else work.set(id, [item])
  }
  const next = new Map<string, string>()
  const changed: string[] = []
  let unchanged = 0
  let resumed = 0

  for (const item of built) {
    if (DEPLOY_RECORDS.has(item.key)) throw new Error(`the build writes ${item.key}, which deploy reserves for itself`)
    next.set(item.key, item.hash)
    const asRecorded = recorded.get(item.key) === item.hash
    if (!asRecorded) changed.push(item.key)
    if (current.get(item.key) !== item.hash) add(phaseOf(item.key), current.has(item.key) ? 'change' : 'add', item)
    else if (asRecorded) unchanged++
    else resumed++
  }
  for (const key of new Set([...recorded.keys(), ...current.keys()])) {
    if (next.has(key) || DEPLOY_RECORDS.has(key)) continue
    changed.push(key)
    if (current.has(key)) add(phaseOf(key), 'delete', { key, hash: '', bytes: 0 })
    else resumed++
  }

  const steps: Step[] = []
  for (const [phase, action] of STEP_ORDER) {
    const items = work.get(`${phase} ${action}`)
    if (items) steps.push({ phase, action, keys: items, bytes: sum(items) })
  }
  const puts = steps.filter((s) => s.action !== 'delete')
  return {
    steps,
    puts: puts.reduce((n, s) => n + s.keys.length, 0),
    deletes: steps.filter((s) => s.action === 'delete').reduce((n, s) => n + s.keys.length, 0),
    bytes: sum(puts.flatMap((s) => s.keys)),
    unchanged,
    resumed,
    changed,
    next: Object.fromEntries(next),
  }
}

function sum(items: readonly BuiltKey[]): number {
  return items.reduce((n, i) => n + i.bytes, 0)
}
