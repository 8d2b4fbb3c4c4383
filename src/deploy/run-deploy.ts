import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KvEntry } from '../shared/schema.ts'
import { applyDeploy, type DeployOptions, planDeploy } from './deploy.ts'
import { sha256 } from './deploy-state.ts'
import { formatBytes, formatCount } from './format.ts'
import { Journal } from './journal.ts'
import { planJson, planLines } from './plan-report.ts'
import { type PurgeCache, purgeThroughWorker } from './purge-cache.ts'
import { DeployError } from './store.ts'
import { WranglerCode, WranglerStore } from './wrangler-store.ts'

/**
 * Remotely wrangler reports progress every 1,000 keys of a bulk request; locally it says nothing until
 * the end, so local requests are kept this small for deploy's own progress lines (and finer resumes).
 */
const LOCAL_BATCH_PAIRS = 1000

export interface RunDeployOptions {
  /** Write to the local state `npm start` serves instead of Cloudflare; never runs `wrangler deploy`. */
  local?: boolean
  /** Local state folder (`wrangler dev --persist-to`); default .wrangler/state. */
  persistTo?: string
  config?: string
  dryRun?: boolean
  json?: boolean
  reconcile?: boolean
  /** Do not publish the worker code, even if it changed. */
  skipCode?: boolean
  /** Where resume journals live. */
  journalDir?: string
}

/**
 * Deploys a build's entries with wrangler: prints the plan (as text, or as
 * JSON on stdout with --json), then applies it unless --dry-run. Returns false
 * when the deploy failed, having said why on stderr.
 */
export async function runDeploy(entries: readonly KvEntry[], options: RunDeployOptions = {}): Promise<boolean> {
  try {
    await deployWithWrangler(entries, options)
    return true
  } catch (err) {
    if (!(err instanceof DeployError)) throw err
    console.error(`error: ${err.message}`)
    return false
  }
}

async function deployWithWrangler(entries: readonly KvEntry[], options: RunDeployOptions): Promise<void> {
  if (!options.local) await requireNamespaceId(options.config ?? 'wrangler.toml')
  const say = options.json ? (line: string) => console.error(line) : (line: string) => console.log(line)
  const store = new WranglerStore({
    mode: options.local ? 'local' : 'remote',
    persistTo: options.persistTo,
    config: options.config,
    run: { onProgress: (line) => console.error(`    ${line}`) },
  })
  const deployOptions: DeployOptions = {
    entries,
    store,
    journal: new Journal(
      join(options.journalDir ?? '.wrangler/deploy', `journal-${sha256(store.target).slice(0, 12)}.json`),
    ),
    code: options.local || options.skipCode ? undefined : new WranglerCode(options.config),
    purge: purgeFromEnv(),
    reconcile: options.reconcile,
    log: (line) => console.error(line),
    maxPairs: options.local ? LOCAL_BATCH_PAIRS : undefined,
  }

  const started = performance.now()
  const prepared = await planDeploy(deployOptions)
  const { plan } = prepared
  console.error(`  planned in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const purging = Boolean(deployOptions.purge)
  if (options.json)
    process.stdout.write(`${JSON.stringify(planJson(plan, Boolean(options.dryRun), purging), null, 2)}\n`)
  else for (const line of planLines(plan, purging)) say(line)
  if (!purging && plan.purgeTags.length > 0 && !options.local) {
    say('  note: SITE_URL and CACHE_PURGE_TOKEN are not set, so edge caches keep changed pages until their max-age')
  }
  if (options.dryRun || plan.upToDate) return

  const result = await applyDeploy(prepared, deployOptions)
  say(
    `deployed to ${plan.target}: ${formatCount(plan.puts, 'put')} (${formatBytes(plan.bytes)}), ` +
      `${formatCount(plan.deletes, 'delete')} in ${result.seconds.toFixed(1)} s (${formatCount(result.requests, 'request')})`,
  )
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
