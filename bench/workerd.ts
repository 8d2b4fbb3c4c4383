import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { configuredWorker } from '../src/deploy/local-app.ts'

/** What the bench uses of a running Miniflare. */
export interface LocalWorkerd {
  url: string
  kv(binding: string): Promise<{ put(key: string, value: string): Promise<void> }>
  dispose(): Promise<void>
}

export interface WorkerdOptions {
  /** The bundle `wrangler deploy --dry-run --outdir` wrote (its entry module). */
  script: string
  /** Secrets and vars over wrangler.toml's (instead of the developer's .dev.vars). */
  vars: Record<string, string>
  /** KV and Cache API state. */
  persistTo: string
  /** 0: any free port. */
  port: number
  /** false: the Cache API keeps nothing (every match misses). */
  cache?: boolean
}

/**
 * Serves a bundle in workerd with the product's settings from wrangler.toml
 * (bindings, vars, compatibility date and flags), through Miniflare directly:
 * no `wrangler dev` proxy process between client and worker, so a request
 * costs what the worker and the runtime cost. It is the project's one Miniflare
 * (package.json pins it to wrangler's and overrides every other copy).
 */
export async function startWorkerd(options: WorkerdOptions): Promise<LocalWorkerd> {
  // An env file of our own, as `wrangler dev --env-file` takes it: the developer's .dev.vars stays out.
  await mkdir(options.persistTo, { recursive: true })
  const envFile = join(options.persistTo, 'worker.env')
  await writeFile(
    envFile,
    Object.entries(options.vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join(''),
    { mode: 0o600 },
  )
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: options.port,
    resourcePersistencePath: options.persistTo,
    enableDevRegistry: false,
    logRequests: false,
    telemetry: { enabled: false },
    workers: [await configuredWorker({ script: options.script, envFile, cache: options.cache })],
  })
  const url = await mf.ready
  return {
    url: url.origin,
    kv: (binding) => mf.getKVNamespace(binding),
    dispose: () => mf.dispose(),
  }
}
