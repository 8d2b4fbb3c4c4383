import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import type { convertV4MiniflareOptions as ConvertOptions, V4MiniflareOptions } from 'miniflare'
import type { LocalWorker } from './local-state.ts'
import { wrangler } from './wrangler-bin.ts'

/** Beside wrangler's own state, under the project. */
const BUNDLE_DIR = '.wrangler/start'

/**
 * The site's worker as `wrangler deploy` would upload it, bundled by wrangler
 * (`deploy --dry-run --outdir`), with the secrets of .dev.vars as `wrangler
 * dev` gives them: ready to be served by the local state's workerd
 * (LocalState.serve).
 */
export async function localApp(options: { config?: string; devVars?: string } = {}): Promise<LocalWorker> {
  const config = options.config ?? 'wrangler.toml'
  const root = dirname(resolve(config))
  const outdir = join(root, BUNDLE_DIR)
  await wrangler(['deploy', '--dry-run', '--outdir', outdir, '--config', config], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return configuredWorker({
    config,
    script: join(outdir, 'index.js'),
    envFile: options.devVars ?? join(root, '.dev.vars'),
  })
}

/**
 * A bundled worker (`script`, wrangler's one entry module) configured by
 * wrangler's own reading of `config` — bindings, vars, compatibility date and
 * flags, version metadata — with the vars and secrets of `envFile` over it
 * (as `wrangler dev --env-file`: nobody's .dev.vars slips in), in the format
 * of this project's one Miniflare.
 */
export async function configuredWorker(options: {
  script: string
  envFile: string
  config?: string
  /** false: the Cache API keeps nothing (every match misses). */
  cache?: boolean
}): Promise<LocalWorker> {
  // Loaded only here: wrangler is seconds of JavaScript that nothing else in a deploy needs.
  const { unstable_getMiniflareWorkerOptions } = await import('wrangler')
  const { convertV4MiniflareOptions } = createRequire(import.meta.url)('miniflare') as {
    convertV4MiniflareOptions: typeof ConvertOptions
  }
  // `envFiles` is read by this (unstable) API though its typings leave it out. Its options are typed
  // against wrangler's bundled copy of Miniflare's types: read as plain data.
  const configured = quietly(() =>
    unstable_getMiniflareWorkerOptions(options.config ?? 'wrangler.toml', undefined, {
      envFiles: [options.envFile],
    } as object),
  )
  // One bundled module: wrangler's module rules have nothing left to match.
  const { modulesRules: _, ...workerOptions } = configured.workerOptions as Record<string, unknown>
  const { workers } = convertV4MiniflareOptions({
    ...workerOptions,
    modules: true,
    scriptPath: options.script,
    modulesRoot: dirname(options.script),
    ...(options.cache === false && { cache: false }),
  } as V4MiniflareOptions)
  return workers[0]
}

/** wrangler logs which env file it read to stdout (which carries the bench's table): not this time. */
function quietly<T>(run: () => T): T {
  const level = process.env.WRANGLER_LOG
  process.env.WRANGLER_LOG = 'warn'
  try {
    return run()
  } finally {
    if (level === undefined) delete process.env.WRANGLER_LOG
    else process.env.WRANGLER_LOG = level
  }
}
