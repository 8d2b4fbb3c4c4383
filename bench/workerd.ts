import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { convertV4MiniflareOptions, Miniflare } from 'miniflare'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'

/** What the bench uses of a running Miniflare. */
export interface LocalWorkerd {
  url: string
  kv(binding: string): Promise<{ put(key: string, value: string): Promise<void> }>
  d1(binding: string): ReturnType<Miniflare['getD1Database']>
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
  // `envFiles` is read by this (unstable) API though its typings leave it out. Its options are
  // typed against wrangler's bundled copy of Miniflare's types: read as plain data. One bundled module: no module rules.
  const configured = quietly(() =>
    unstable_getMiniflareWorkerOptions('wrangler.toml', undefined, { envFiles: [envFile] } as object),
  )
  const { modulesRules: _, ...workerOptions } = configured.workerOptions as Record<string, unknown>
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...workerOptions,
      modules: true,
      scriptPath: options.script,
      modulesRoot: dirname(options.script),
      resourcePersistencePath: options.persistTo,
      host: '127.0.0.1',
      port: options.port,
      logRequests: false,
      ...(options.cache === false && { cache: false }),
    }),
  )
  const url = await mf.ready
  return {
    url: url.origin,
    kv: (binding) => mf.getKVNamespace(binding),
    d1: (binding) => mf.getD1Database(binding),
    dispose: () => mf.dispose(),
  }
}

/** wrangler logs which env file it read to stdout, which carries the bench's table: not this time. */
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
