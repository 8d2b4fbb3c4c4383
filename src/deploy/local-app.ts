import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { parseEnv } from 'node:util'
import type { convertV4MiniflareOptions as ConvertOptions, V4MiniflareOptions } from 'miniflare'
import type { LocalWorker } from './local-state.ts'
import { wrangler } from './wrangler-bin.ts'

/** Under the project (workerd reads modules below the config's folder only), beside wrangler's own state. */
const BUNDLE_DIR = '.wrangler/start'

/**
 * The site's worker as `wrangler deploy` would upload it — bundled by wrangler
 * (`deploy --dry-run --outdir`), configured by wrangler's own reading of
 * wrangler.toml (bindings, compatibility, version metadata) plus the secrets
 * in .dev.vars, as `wrangler dev` gives them — ready to be served by the local
 * state's workerd (LocalState.serve).
 */
export async function localApp(options: { config?: string; devVars?: string } = {}): Promise<LocalWorker> {
  const configPath = options.config ?? 'wrangler.toml'
  const root = dirname(resolve(configPath))
  const outdir = join(root, BUNDLE_DIR)
  await wrangler(['deploy', '--dry-run', '--outdir', outdir, '--config', configPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  // Loaded only here: wrangler is seconds of JavaScript that nothing else in a deploy needs.
  const { unstable_getMiniflareWorkerOptions } = await import('wrangler')
  const { convertV4MiniflareOptions } = createRequire(import.meta.url)('miniflare') as {
    convertV4MiniflareOptions: typeof ConvertOptions
  }
  const { workerOptions } = unstable_getMiniflareWorkerOptions(configPath)
  const devVarsPath = options.devVars ?? join(root, '.dev.vars')
  const secrets = existsSync(devVarsPath) ? parseEnv(readFileSync(devVarsPath, 'utf8')) : {}
  // wrangler's options are Miniflare's v4 format, which this Miniflare converts; its types are wrangler's own copy.
  const { workers } = convertV4MiniflareOptions({
    ...(workerOptions as object),
    // The bundle is one module: wrangler's module rules have nothing left to match.
    modulesRules: undefined,
    rootPath: root,
    name: 'site',
    modules: true,
    scriptPath: relative(root, join(outdir, 'index.js')),
    bindings: { ...(workerOptions.bindings as object), ...secrets },
  } as V4MiniflareOptions)
  return workers[0]
}
