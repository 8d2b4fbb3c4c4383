import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BuildState } from '../builder/build-state.ts'
import { type RunBuildOptions, runBuild } from '../builder/run-build.ts'
import { applyDeploy, type DeployOptions, planDeploy, previousBuild, readRecorded } from './deploy.ts'
import { sha256 } from './deploy-state.ts'
import { formatBytes, formatCount } from './format.ts'
import { Journal } from './journal.ts'
import { LocalState } from './local-state.ts'
import { MiniflareStore } from './miniflare-store.ts'
import { planJson, planLines } from './plan-report.ts'
import { progressLine } from './progress-line.ts'
import { type PurgeCache, purgeThroughWorker } from './purge-cache.ts'
import { StateLock } from './state-lock.ts'
import { DeployError, type KvStore } from './store.ts'
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
}

/** Where a deploy writes, and what to do when it is done. */
interface Target {
  store: KvStore
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
  let target: Target | undefined
  try {
    if (!options.local) await requireNamespaceId(options.config ?? 'wrangler.toml')
    target = openTarget(options)
    return await deployWith(target.store, options)
  } catch (err) {
    if (!(err instanceof DeployError)) throw err
    console.error(`error: ${err.message}`)
    return false
  } finally {
    await target?.close()
  }
}

function openTarget(options: RunDeployOptions): Target {
  if (!options.local) {
    const store = new WranglerStore({
      config: options.config,
      run: { onProgress: (line) => progress.update(`    ${line}`) },
    })
    return { store, close: async () => progress.end() }
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
    store: new MiniflareStore(state),
    close: async () => {
      await state.dispose()
      lock?.release()
    },
  }
}

const progress = progressLine()

async function deployWith(store: KvStore, options: RunDeployOptions): Promise<boolean> {
  const say = options.json ? (line: string) => console.error(line) : (line: string) => console.log(line)
  const journal = new Journal(
    join(options.journalDir ?? '.wrangler/deploy', `journal-${sha256(store.target).slice(0, 12)}.json`),
  )
  const recording = readRecorded({ store, journal, reconcile: options.reconcile })
  const previous: Promise<BuildState | undefined> = recording.then((r) => previousBuild(r, options.reconcile))
  // Awaited by the build once it has read the files; a failed read is reported from there.
  previous.catch(() => {})
  const built = await runBuild({
    content: options.content,
    out: options.out,
    skipInvalid: options.skipInvalid,
    previous,
    bulkFiles: false,
  })
  if (!built) return false

  const deployOptions: DeployOptions = {
    entries: built.site.entries,
    unchanged: built.site.unchanged,
    build: built.site.state,
    store,
    journal,
    code: options.local || options.skipCode ? undefined : new WranglerCode(options.config),
    purge: purgeFromEnv(),
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
  if (!purging && plan.purgeTags.length > 0 && !options.local) {
    say('  note: SITE_URL and CACHE_PURGE_TOKEN are not set, so edge caches keep changed pages until their max-age')
  }
  if (options.dryRun || plan.upToDate) return true

  const result = await applyDeploy(prepared, deployOptions)
  say(
    `deployed to ${plan.target}: ${formatCount(plan.puts, 'put')} (${formatBytes(plan.bytes)}), ` +
      `${formatCount(plan.deletes, 'delete')} in ${result.seconds.toFixed(1)} s (${formatCount(result.requests, 'request')})`,
  )
  return true
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
