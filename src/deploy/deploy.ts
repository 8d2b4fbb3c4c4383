import type { BuildState, PreviousBuild } from '../builder/build-state.ts'
import { BULK_MAX_BYTES, BULK_MAX_PAIRS, chunkEntries } from '../builder/write-output.ts'
import { cacheTagsFor } from '../shared/cache-tags.ts'
import type { KvEntry } from '../shared/schema.ts'
import { keys } from '../shared/schema.ts'
import { DEPLOY_RECORDS, type DeployState, parseDeployState, serialiseDeployState, sha256 } from './deploy-state.ts'
import { formatBytes, formatCount, formatNumber } from './format.ts'
import type { Journal, JournalData } from './journal.ts'
import { computePlan, describeEntries, type Plan, phaseOf, type Step } from './plan.ts'
import type { ProgressLine } from './progress-line.ts'
import type { CacheTagsFor, PurgeCache } from './purge-cache.ts'
import { defaultRetry, type RetryPolicy, withRetry } from './retry.ts'
import { DeployError, type KvStore } from './store.ts'
import type { CodeDeployer } from './wrangler-store.ts'

export interface DeployOptions {
  /** What the build made: every key of the site, but for `unchanged`. */
  entries: readonly KvEntry[]
  /** Keys the build did not make again because their value is the recorded one (SiteBuild.unchanged). */
  unchanged?: readonly string[]
  /** What the next build starts from (SiteBuild.state), recorded with the deploy state. */
  build?: BuildState
  store: KvStore
  journal: Journal
  /** Publishes the worker between the last put and the first delete; absent with --local. */
  code?: CodeDeployer
  /** Brings the search index up to date, after the last put and before the first delete; absent when it has no changes. */
  search?: SearchStep
  /** Purges edge caches once everything is live; absent when there is nothing to purge. */
  purge?: PurgeCache
  cacheTags?: CacheTagsFor
  /** Rebuild the picture of KV from its key list instead of trusting the recorded state. */
  reconcile?: boolean
  retry?: Partial<RetryPolicy>
  /** Progress lines for people (the CLI sends them to stderr). */
  log?: (line: string) => void
  /** Where per-request progress goes instead of `log` (the CLI: one line updated in place). */
  progress?: ProgressLine
  now?: () => Date
  /** Per-request limits; wrangler's (10,000 pairs, 100 MB) by default. */
  maxPairs?: number
  maxBytes?: number
}

/** The search index's part of a deploy (search-sync.ts). */
export interface SearchStep {
  /** Rows to write and rows to delete. */
  writes: number
  deletes: number
  /** Applies them; returns the number of requests. */
  apply(retry: Partial<RetryPolicy>): Promise<number>
}

export interface DeployPlan extends Plan {
  target: string
  /** `deploy`: the bundle differs from the one last published. */
  code: 'deploy' | 'unchanged' | 'skipped'
  codeFingerprint?: string
  purgeTags: string[]
  /** Nothing to write: KV, the code and the recorded state are all current. */
  upToDate: boolean
}

/** A plan together with what applying it needs. */
export interface PreparedDeploy {
  plan: DeployPlan
  base: string
  journal: JournalData
  recorded: DeployState | null
  values: Map<string, string>
}

export interface DeployResult {
  plan: DeployPlan
  requests: number
  seconds: number
}

/** The deploy state as read from KV, and what an interrupted run already did on top of it. */
export interface Recorded {
  state: DeployState | null
  /** Identifies the state text: a journal only applies to the state it started from. */
  base: string
  journal: JournalData
}

/** A recorded state's text, parsed: what readRecorded makes of it. */
export interface ParsedState {
  text: string | null
  state: DeployState | null
  base: string
}

export function parseRecorded(text: string | null, reconcile = false): ParsedState {
  return {
    text,
    state: reconcile ? lenient(text) : parseDeployState(text),
    base: text === null ? 'none' : sha256(text),
  }
}

/**
 * Reads the recorded state and the journal of an interrupted run on top of it. One KV read.
 * `ahead` is that state parsed beforehand (npm start, between publishes: a few hundred
 * milliseconds at 10,000 posts), used when KV holds exactly its text.
 */
export async function readRecorded(
  options: Pick<DeployOptions, 'store' | 'journal' | 'reconcile' | 'retry'> & { ahead?: ParsedState },
): Promise<Recorded> {
  const retry = { ...defaultRetry, ...options.retry }
  const text = await withRetry('reading the deploy state', () => options.store.get(keys.deployState), retry)
  const { ahead } = options
  const { state, base } =
    ahead && !options.reconcile && ahead.text === text ? ahead : parseRecorded(text, options.reconcile)
  return { state, base, journal: await options.journal.read(base) }
}

/**
 * The build state a build can start from: the recorded one, with the posts an interrupted run already
 * rewrote marked as not reusable (their recorded values are no longer what KV holds; their records
 * stay, as the neighbours and local links every other stored value was made with), and its listings
 * marked stale if that run rewrote any. None with --reconcile, which trusts no record.
 */
export function previousBuild(recorded: Recorded, reconcile = false): PreviousBuild | undefined {
  const build = recorded.state?.build
  if (reconcile || !build) return undefined
  const hashes = recorded.state?.keys ?? {}
  const { landed } = recorded.journal
  const rewritten = (key: string) => key in landed && landed[key] !== hashes[key]
  if (Object.keys(landed).length === 0) return build
  const files = Object.entries(build.files).map(([file, record]) =>
    // No file hashes to an empty source: the build makes this post again.
    rewritten(keys.post(record.slug)) ? [file, { ...record, source: '' }] : [file, record],
  )
  const listingsStale = Object.keys(landed).some((key) => phaseOf(key) === 'listings' && rewritten(key))
  return { ...build, files: Object.fromEntries(files), listingsStale }
}

/** Works out what to do from the recorded state (read now unless given) and, when there is none, the key list. Writes nothing. */
export async function planDeploy(options: DeployOptions, given?: Recorded): Promise<PreparedDeploy> {
  const { store } = options
  const retry = { ...defaultRetry, ...options.retry }
  const { state: recorded, base, journal } = given ?? (await readRecorded(options))
  const recordedKeys = new Map(Object.entries(recorded?.keys ?? {}))

  let current: Map<string, string>
  if (recorded && !options.reconcile) {
    current = new Map(recordedKeys)
    for (const [key, hash] of Object.entries(journal.landed)) {
      if (hash === null) current.delete(key)
      else current.set(key, hash)
    }
  } else {
    // No trustworthy record: what is in KV is what its key list says, values unknown ('').
    const listed = await withRetry('listing the keys in KV', () => store.listKeys(), retry)
    current = new Map()
    for (const key of listed) {
      if (!DEPLOY_RECORDS.has(key)) current.set(key, journal.landed[key] ?? recordedKeys.get(key) ?? '')
    }
  }

  // A reused key keeps its recorded value, which must be what KV holds: the build has no other.
  const reused = (options.unchanged ?? []).map((key) => {
    const hash = recordedKeys.get(key)
    if (hash === undefined || current.get(key) !== hash)
      throw new DeployError(`the build reused ${key}, whose recorded value KV no longer holds`, false)
    return { key, hash, bytes: 0 }
  })
  const plan = computePlan([...describeEntries(options.entries), ...reused], recordedKeys, current)
  let code: DeployPlan['code'] = 'skipped'
  let codeFingerprint: string | undefined
  if (options.code) {
    const deployer = options.code
    codeFingerprint = await withRetry('bundling the worker', () => deployer.fingerprint(), retry)
    code = codeFingerprint === (journal.code ?? recorded?.code) ? 'unchanged' : 'deploy'
  }
  const upToDate =
    recorded !== null &&
    sameBuild(recorded.build, options.build) &&
    plan.puts === 0 &&
    plan.deletes === 0 &&
    plan.changed.length === 0 &&
    !options.search &&
    (codeFingerprint === undefined || codeFingerprint === recorded?.code)
  return {
    plan: {
      ...plan,
      target: store.target,
      code,
      codeFingerprint,
      purgeTags: (options.cacheTags ?? cacheTagsFor)(plan.changed),
      upToDate,
    },
    base,
    journal,
    recorded,
    values: new Map(options.entries.map((e) => [e.key, e.value])),
  }
}

/**
 * Is the recorded build state the one this deploy would record? (It changes when a file's bytes do,
 * even if no value does.) A build reuses the recorded records themselves, so most compare by identity.
 */
function sameBuild(a: BuildState | undefined, b: BuildState | undefined): boolean {
  if (a === b) return true
  if (!a || !b || a.version !== b.version) return false
  const files = Object.keys(a.files)
  return (
    files.length === Object.keys(b.files).length &&
    JSON.stringify(a.unpublishedLinks) === JSON.stringify(b.unpublishedLinks) &&
    files.every(
      (file) => a.files[file] === b.files[file] || JSON.stringify(a.files[file]) === JSON.stringify(b.files[file]),
    )
  )
}

/**
 * Applies a plan in its safe order: puts (content, then listings), the code
 * switch, deletes, the cache purge, and last the new deploy state. Each
 * request is retried on transient failures; when one still fails, deploy
 * stops there, every link on the site still valid, and the journal lets the
 * next run resume.
 */
export async function applyDeploy(prepared: PreparedDeploy, options: DeployOptions): Promise<DeployResult> {
  const { plan, base, recorded, values } = prepared
  const { store, journal } = options
  const retry = { ...defaultRetry, ...options.retry }
  const log = options.log ?? (() => {})
  const show = (line: string) => (options.progress ? options.progress.update(line) : log(line))
  const started = performance.now()
  const landed = { ...prepared.journal.landed }
  let codeDone = prepared.journal.code
  let requests = 0
  let reached = 'puts'

  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`
  const request = async (what: string, send: () => Promise<void>) => {
    try {
      await withRetry(what, send, {
        ...retry,
        onRetry: (err, attempt, waitMs) =>
          log(`  retry ${attempt} of ${what} in ${(waitMs / 1000).toFixed(1)} s: ${firstLine(err.message)}`),
      })
    } catch (err) {
      throw new DeployError(
        `${(err as Error).message}\n\n${stoppedAt(reached, journal.path)}`,
        (err as DeployError).transient ?? false,
      )
    }
    requests++
  }
  const remember = (updates: [string, string | null][]) => {
    for (const [key, hash] of updates) landed[key] = hash
    return journal.write({ base, landed, code: codeDone })
  }

  if (plan.upToDate) return { plan, requests, seconds: 0 }

  for (const step of plan.steps.filter((s) => s.action !== 'delete')) {
    reached = step.phase === 'listings' ? 'listings' : 'puts'
    const hashes = new Map(step.keys.map((k) => [k.key, k.hash]))
    const batches = chunkEntries(
      step.keys.map((k) => ({ key: k.key, value: builtValue(values, k.key) })),
      options.maxPairs ?? BULK_MAX_PAIRS,
      options.maxBytes ?? BULK_MAX_BYTES,
    )
    let done = 0
    let bytes = 0
    for (const batch of batches) {
      await request(`${stepName(step)} of ${formatCount(batch.length, 'key')}`, () => store.put(batch))
      await remember(batch.map((e) => [e.key, hashes.get(e.key) ?? '']))
      done += batch.length
      bytes += batch.reduce((n, e) => n + Buffer.byteLength(e.value), 0)
      show(
        `  ${stepName(step)}: ${progress(done, step.keys.length)} keys, ${formatBytes(bytes)} of ${formatBytes(step.bytes)} (${elapsed()})`,
      )
    }
    options.progress?.end()
  }

  if (plan.code === 'deploy' && options.code && plan.codeFingerprint) {
    const deployer = options.code
    await request('wrangler deploy', () => deployer.deploy())
    codeDone = plan.codeFingerprint
    await journal.write({ base, landed, code: codeDone })
    log(`  worker code deployed (${elapsed()})`)
    reached = 'code'
  }

  if (options.search) {
    reached = 'search'
    const { search } = options
    try {
      requests += await search.apply(retry)
    } catch (err) {
      throw new DeployError(`${(err as Error).message}\n\n${stoppedAt(reached, journal.path)}`, false)
    }
    log(
      `  search index: ${formatCount(search.writes, 'row')} written, ${formatCount(search.deletes, 'row')} deleted (${elapsed()})`,
    )
  }

  for (const step of plan.steps.filter((s) => s.action === 'delete')) {
    reached = 'deletes'
    const names = step.keys.map((k) => k.key)
    const size = options.maxPairs ?? BULK_MAX_PAIRS
    for (let i = 0; i < names.length; i += size) {
      const batch = names.slice(i, i + size)
      await request(`${stepName(step)} of ${formatCount(batch.length, 'key')}`, () => store.delete(batch))
      await remember(batch.map((key) => [key, null]))
      show(`  ${stepName(step)}: ${progress(i + batch.length, names.length)} keys (${elapsed()})`)
    }
    options.progress?.end()
  }

  if (options.purge && plan.purgeTags.length > 0) {
    reached = 'purge'
    const purge = options.purge
    await request(`cache purge of ${formatCount(plan.purgeTags.length, 'tag')}`, () => purge(plan.purgeTags))
    log(`  purged ${formatCount(plan.purgeTags.length, 'cache tag')} (${elapsed()})`)
  }

  reached = 'state'
  const state: DeployState = {
    schema: 1,
    deployedAt: (options.now?.() ?? new Date()).toISOString(),
    keys: plan.next,
    code: codeDone ?? recorded?.code,
    build: options.build,
  }
  await request('recording the deploy state', () =>
    store.put([{ key: keys.deployState, value: serialiseDeployState(state) }]),
  )
  await journal.clear()
  return { plan, requests, seconds: (performance.now() - started) / 1000 }
}

/** A value to put; a key without one would be written empty, which must never happen. */
function builtValue(values: ReadonlyMap<string, string>, key: string): string {
  const value = values.get(key)
  if (value === undefined) throw new DeployError(`no value was built for ${key}`, false)
  return value
}

function stepName(step: Step): string {
  return `${step.phase} ${step.action}`
}

function progress(done: number, total: number): string {
  return `${formatNumber(done)}/${formatNumber(total)}`
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

/** What a reader sees when deploy stops at `reached`, and how to go on. */
function stoppedAt(reached: string, journalPath: string): string {
  const site: Record<string, string> = {
    puts: 'No listing changed and nothing was deleted: readers see the site as it was (a post whose text changed may already show the new text; new posts are stored but not linked yet).',
    listings: 'Every listing live now links only to posts that are stored; nothing was deleted.',
    code: 'The new listings and code are live; removed posts are still stored but no longer linked.',
    search:
      'The new listings and code are live; search may still miss changed posts (or list removed ones, which are still stored).',
    deletes: 'The new site is live; some removed posts are still stored but no longer linked.',
    purge: 'The new site is live; edge caches may still serve changed pages until their max-age.',
    state: 'The new site is live; only the record of it is missing.',
  }
  return `deploy stopped. ${site[reached]}\nRun deploy again to resume; what is done is kept in ${journalPath}.`
}

function lenient(text: string | null): DeployState | null {
  try {
    return parseDeployState(text)
  } catch {
    return null
  }
}
