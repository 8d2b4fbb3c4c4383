import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BuildState } from '../builder/build-state.ts'
import { type RunBuildOptions, runBuild } from '../builder/run-build.ts'
import { searchDoc } from '../builder/search-doc.ts'
import type { SiteBuild } from '../builder/site.ts'
import { keys, type SearchIndexVersion, type StoredPost } from '../shared/schema.ts'
import type { SearchDoc } from '../shared/search-index.ts'
import { applyDeploy, type DeployOptions, type ParsedState, planDeploy, previousBuild, readRecorded } from './deploy.ts'
import { sha256 } from './deploy-state.ts'
import { formatBytes, formatCount } from './format.ts'
import { archiveImages } from './image-archive/deploy-images.ts'
import { localArchiveBucket } from './image-archive/local-bucket.ts'
import { captureWithDevServer } from './image-archive/local-worker.ts'
import { reviveUnknown, settleWithBucket, trackImages } from './image-archive/phase.ts'
import { indexedHashes } from './image-archive/prune.ts'
import { type ArchiveRecord, readRecord, writeRecord } from './image-archive/record.ts'
import { type ArchiveBucket, archiveEndpoints, type CaptureImages } from './image-archive/worker-client.ts'
import { Journal } from './journal.ts'
import { DEFAULT_PERSIST_TO, LocalState } from './local-state.ts'
import { MiniflareStore } from './miniflare-store.ts'
import { planJson, planLines } from './plan-report.ts'
import { progressLine } from './progress-line.ts'
import { type PurgeCache, purgeThroughWorker } from './purge-cache.ts'
import { LocalSearchDb, RemoteSearchDb, type SearchDb } from './search-db.ts'
import { applySearch, planSearch } from './search-sync.ts'
import { StateLock } from './state-lock.ts'
import { DeployError, type KvStore } from './store.ts'
import { remoteDatabaseId } from './wrangler-config.ts'
import { WranglerCode, WranglerStore } from './wrangler-store.ts'

/**
 * Keys per store request with --local: the writes themselves go in batches inside workerd
 * (local-state.ts); this keeps a progress line and a journal entry per thousand keys.
 */
const LOCAL_BATCH_PAIRS = 1000

export interface RunDeployOptions extends Omit<RunBuildOptions, 'previous'> {
  /** Write to the local state `npm start` serves instead of Cloudflare; never runs `wrangler deploy`. */
  local?: boolean
  /** Local state folder (`wrangler dev --persist-to`); default .wrangler/state. */
  persistTo?: string
  /** The local state, already started (cli.ts starts it early); else opened from `persistTo` and `config`. */
  localState?: LocalState
  config?: string
  dryRun?: boolean
  json?: boolean
  reconcile?: boolean
  /** Do not publish the worker code, even if it changed. */
  skipCode?: boolean
  /** Where resume journals live. */
  journalDir?: string
  /** false (--no-archive): capture no images now; they keep waiting in the record. */
  archive?: boolean
  /** --prune-images: remove archived images no post shows (with --dry-run: list them). */
  pruneImages?: boolean
  /**
   * Locally, who captures the images that wait, once a worker serves the
   * state (npm start: after the site is up). Without it a local deploy
   * captures through a short-lived wrangler dev once it has closed the state
   * (local-worker.ts).
   */
  captureLater?: (record: ArchiveRecord) => void
  /** Where changed pages are purged once live; by default the site SITE_URL and CACHE_PURGE_TOKEN name. */
  purge?: PurgeCache
  /** The recorded state parsed beforehand, if KV still holds it (see readRecorded). */
  recordedAhead?: ParsedState
}

/** Where a deploy writes, and what to do when it is done. */
export interface DeployTarget {
  store: KvStore
  /** The image archive's bucket: the local one directly, or the worker's endpoints. */
  bucket?: ArchiveBucket
  capture?: CaptureImages
  /** Why nothing can be captured now, when it cannot. */
  noCapture?: string
  /** The search index; absent when wrangler.toml has no D1 database for it. */
  search?: SearchDb
  close(): Promise<void>
}

/**
 * Builds and deploys: reads the recorded state (one KV read, while the content
 * files are read and hashed), builds from it — so only changed files are
 * rendered, with or without a build cache —, prints the plan (as text, or as
 * JSON on stdout with --json), then applies it unless --dry-run. Locally the
 * state is written in this process through Miniflare; remotely with wrangler.
 * Returns false when the build or the deploy failed, having said why on stderr.
 */
export async function runDeploy(options: RunDeployOptions): Promise<boolean> {
  let target: DeployTarget | undefined
  // A local deploy of its own captures once its hold on the state is gone (local-worker.ts).
  let waiting: ArchiveRecord | undefined
  const captureLater =
    options.captureLater ?? (options.local ? (record: ArchiveRecord) => (waiting = record) : undefined)
  let deployed: boolean
  try {
    if (!options.local) await requireNamespaceId(options.config ?? 'wrangler.toml')
    target = await openTarget(options)
    deployed = await deployTo(target, { ...options, captureLater })
  } catch (err) {
    if (!(err instanceof DeployError)) throw err
    console.error(`error: ${err.message}`)
    return false
  } finally {
    await target?.close()
  }
  if (deployed && waiting) await captureLocalImages(waiting, options)
  return deployed
}

async function captureLocalImages(record: ArchiveRecord, options: RunDeployOptions): Promise<void> {
  const persistTo = options.persistTo ?? DEFAULT_PERSIST_TO
  let lock: StateLock
  try {
    lock = StateLock.take(persistTo, { role: 'deploy' })
  } catch (err) {
    console.log(`images: not captured now: ${(err as Error).message}`)
    return
  }
  try {
    await captureWithDevServer(record, { persistTo, config: options.config })
  } finally {
    lock.release()
  }
}

async function openTarget(options: RunDeployOptions): Promise<DeployTarget> {
  if (!options.local) {
    const store = new WranglerStore({
      config: options.config,
      run: { onProgress: (line) => progress.update(`    ${line}`) },
    })
    const config = options.config ?? 'wrangler.toml'
    const databaseId = await remoteDatabaseId(config, SEARCH_BINDING)
    if (databaseId === undefined)
      console.error(`  note: ${config} has no D1 database_id for ${SEARCH_BINDING}: the search index is not written`)
    const search = databaseId === undefined ? undefined : new RemoteSearchDb(databaseId, config)
    return { store, search, ...archiveFromEnv(), close: async () => progress.end() }
  }
  const state = options.localState ?? new LocalState({ persistTo: options.persistTo, config: options.config })
  let lock: StateLock | undefined
  try {
    lock = options.dryRun ? undefined : StateLock.take(state.persistTo, { role: 'deploy' })
  } catch (err) {
    void state.dispose()
    throw err
  }
  return {
    ...localTarget(state),
    close: async () => {
      await state.dispose()
      lock?.release()
    },
  }
}

/** The local state's KV, bucket and search index, as a deploy writes them. */
export function localTarget(state: LocalState): Omit<DeployTarget, 'close'> {
  return { store: new MiniflareStore(state), bucket: localArchiveBucket(state), search: new LocalSearchDb(state) }
}

const progress = progressLine()

/**
 * The deploy itself, into an opened target: build from the recorded state,
 * plan, apply, then the image archive's phase. Returns false when the build
 * failed; throws DeployError when the deploy did.
 */
export async function deployTo(target: DeployTarget, options: RunDeployOptions): Promise<boolean> {
  const { store, search } = target
  const limits = archiveLimitsFromEnv()
  const say = options.json ? (line: string) => console.error(line) : (line: string) => console.log(line)
  const journal = new Journal(
    join(options.journalDir ?? '.wrangler/deploy', `journal-${sha256(store.target).slice(0, 12)}.json`),
  )
  const recording = readRecorded({ store, journal, reconcile: options.reconcile, ahead: options.recordedAhead })
  const images = readImages(target, options)
  const previous: Promise<BuildState | undefined> = Promise.all([recording, images]).then(([r, record]) =>
    reviveUnknown(previousBuild(r, options.reconcile), record),
  )
  // Awaited by the build once it has read the files; a failed read is reported from there.
  previous.catch(() => {})
  images.catch(() => {})
  const built = await runBuild({
    content: options.content,
    out: options.out,
    skipInvalid: options.skipInvalid,
    previous,
    bulkFiles: false,
    deferOutput: true,
  })
  if (!built) return false

  const searchStep = search && !options.dryRun ? await planSearchStep(search, built.site, store) : undefined

  const deployOptions: DeployOptions = {
    entries: built.site.entries,
    unchanged: built.site.unchanged,
    build: built.site.state,
    store,
    journal,
    code: options.local || options.skipCode ? undefined : new WranglerCode(options.config),
    search: searchStep,
    purge: options.purge ?? purgeFromEnv(),
    reconcile: options.reconcile,
    log: (line) => console.error(line),
    progress,
    maxPairs: options.local ? LOCAL_BATCH_PAIRS : undefined,
  }

  const started = performance.now()
  const prepared = await planDeploy(deployOptions, await recording)
  const { plan } = prepared
  console.error(`  planned in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const purging = Boolean(deployOptions.purge)
  if (options.json)
    process.stdout.write(`${JSON.stringify(planJson(plan, Boolean(options.dryRun), purging), null, 2)}\n`)
  else for (const line of planLines(plan, purging)) say(line)
  if (searchStep)
    say(
      `  search index: ${formatCount(searchStep.writes, 'row')} to write, ${formatCount(searchStep.deletes, 'row')} to delete`,
    )
  if (!purging && plan.purgeTags.length > 0 && !options.local) {
    say('  note: SITE_URL and CACHE_PURGE_TOKEN are not set, so edge caches keep changed pages until their max-age')
  }
  const tracked = trackImages(await images, built.site.state, built.site.images)
  // Before the text goes live: a deploy stopped after publishing still knows which images to capture.
  if (tracked.changed && !options.dryRun) await writeRecord(store, tracked.record)

  try {
    if (!options.dryRun && !plan.upToDate) {
      const result = await applyDeploy(prepared, deployOptions)
      say(
        `deployed to ${plan.target}: ${formatCount(plan.puts, 'put')} (${formatBytes(plan.bytes)}), ` +
          `${formatCount(plan.deletes, 'delete')} in ${result.seconds.toFixed(1)} s (${formatCount(result.requests, 'request')})`,
      )
    }
  } finally {
    // manifest.json and removed.json (megabytes at 10,000 posts) after the posts are live, not before.
    await built.writeOutput()
  }

  const later = options.local && !options.dryRun && options.archive !== false ? options.captureLater : undefined
  later?.(tracked.record)
  const capture = options.dryRun || options.archive === false || later ? undefined : target.capture
  await archiveImages({
    store,
    record: tracked.record,
    state: built.site.state,
    capture,
    noCapture: options.dryRun
      ? undefined
      : options.archive === false
        ? 'skipped (--no-archive)'
        : later
          ? 'a local worker captures them next'
          : target.noCapture,
    prune: options.pruneImages && target.bucket ? { bucket: target.bucket, remove: !options.dryRun } : undefined,
    ...limits,
    log: say,
  })
  return true
}

/**
 * The image record. Locally the bucket is listed (free) and is the truth for
 * what is archived, whoever captured it (npm start, a deploy).
 */
async function readImages(target: DeployTarget, options: RunDeployOptions): Promise<ArchiveRecord> {
  const record = await readRecord(target.store)
  if (!options.local || !target.bucket) return record
  return settleWithBucket(record, await indexedHashes(target.bucket))
}

/** SITE_URL and IMAGE_ARCHIVE_TOKEN (the worker's secret): where images are captured and pruned. */
function archiveFromEnv(): Pick<DeployTarget, 'bucket' | 'capture' | 'noCapture'> {
  const { SITE_URL: site, IMAGE_ARCHIVE_TOKEN: token } = process.env
  if (!site || !token || !URL.canParse(site))
    return { noCapture: 'set SITE_URL and IMAGE_ARCHIVE_TOKEN (the worker secret) to capture them' }
  const { capture, bucket } = archiveEndpoints(site, token)
  return { capture, bucket }
}

/** IMAGE_ARCHIVE_REQUESTS (capture requests at once, 2) and IMAGE_ARCHIVE_DEPLOY_BYTES (bytes one deploy captures, 2 GB). */
function archiveLimitsFromEnv(): { concurrency?: number; maxBytes?: number } {
  const number = (name: string) => {
    const text = process.env[name]
    if (!text) return undefined
    const value = Number(text)
    if (!Number.isInteger(value) || value <= 0)
      throw new DeployError(`${name} must be a positive integer: ${text}`, false)
    return value
  }
  return { concurrency: number('IMAGE_ARCHIVE_REQUESTS'), maxBytes: number('IMAGE_ARCHIVE_DEPLOY_BYTES') ?? 2e9 }
}

/** The D1 binding of the search index in wrangler.toml. */
const SEARCH_BINDING = 'SEARCH'

/**
 * What the search index must change to hold this build: D1 says what it holds
 * (applying migrations first); none when it is current. Rows are made by the
 * build for the posts it made; a post it reused whose row is missing (a new
 * database) is read back from KV, whose value is the recorded one.
 */
async function planSearchStep(db: SearchDb, site: SiteBuild, store: KvStore): Promise<DeployOptions['search']> {
  const wanted = new Map(Object.values(site.state.files).map((record) => [record.slug, record.search ?? '']))
  const plan = await planSearch(db, wanted, searchIndexHash(site))
  if (plan.write.length === 0 && plan.remove.length === 0) return undefined
  const made = new Map(site.search.map((doc) => [doc.slug, doc]))
  const docs = (slugs: string[]) =>
    Promise.all(
      slugs.map(async (slug): Promise<SearchDoc> => {
        const doc = made.get(slug)
        if (doc) return doc
        const value = await store.get(keys.post(slug))
        if (value === null) throw new DeployError(`${keys.post(slug)} is not in KV: cannot index it for search`, false)
        return searchDoc(JSON.parse(value) as StoredPost).doc
      }),
    )
  return {
    writes: plan.write.length,
    deletes: plan.remove.length,
    apply: (retry) => applySearch(db, plan, docs, retry),
  }
}

/** The hash naming the whole index in the build's `search:index` entry. */
function searchIndexHash(site: SiteBuild): string {
  const entry = site.entries.find((e) => e.key === keys.searchIndex)
  if (!entry) throw new Error(`the build made no ${keys.searchIndex} entry`)
  return (JSON.parse(entry.value) as SearchIndexVersion).hash
}

/** The placeholder id wrangler.toml ships with would only earn an API error; say what to do instead. */
async function requireNamespaceId(config: string): Promise<void> {
  const text = await readFile(config, 'utf8').catch(() => '')
  if (/^\s*id\s*=\s*"0{32}"/m.test(text)) {
    throw new DeployError(
      `${config} still has the placeholder KV namespace id: run \`npx wrangler kv namespace create POSTS\` and put the id it prints there`,
      false,
    )
  }
}

/** SITE_URL (the deployed site's origin) and CACHE_PURGE_TOKEN (the worker's secret): where changed pages are purged; see purge-cache.ts. */
function purgeFromEnv(): PurgeCache | undefined {
  const { SITE_URL: site, CACHE_PURGE_TOKEN: token } = process.env
  if (!site && !token) return undefined
  if (!site || !token)
    throw new DeployError(
      'set both SITE_URL and CACHE_PURGE_TOKEN to purge edge caches after a deploy, or neither',
      false,
    )
  if (!URL.canParse(site)) throw new DeployError(`SITE_URL is not a URL: ${site}`, false)
  return purgeThroughWorker(site, token)
}
