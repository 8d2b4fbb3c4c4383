import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { KvEntry } from '../shared/schema.ts'
import { sha256 } from './deploy-state.ts'
import type { KvStore } from './store.ts'
import { type RunOptions, runWrangler, WranglerError } from './wrangler-run.ts'

export interface WranglerTarget {
  /** wrangler configuration file. */
  config?: string
  binding?: string
  /** Extra environment and progress callback for every wrangler run. */
  run?: RunOptions
}

/**
 * Cloudflare KV through `wrangler kv`: one wrangler run per request (the
 * local state is written in-process instead: miniflare-store.ts).
 */
export class WranglerStore implements KvStore {
  readonly target: string
  private readonly where: string[]
  private readonly options: WranglerTarget

  constructor(options: WranglerTarget = {}) {
    this.options = options
    const config = resolve(options.config ?? 'wrangler.toml')
    const binding = options.binding ?? 'POSTS'
    this.target = `remote ${binding} (${config})`
    this.where = ['--binding', binding, '--config', config, '--remote']
  }

  async get(key: string): Promise<string | null> {
    try {
      return await runWrangler(['kv', 'key', 'get', key, ...this.where], this.options.run)
    } catch (err) {
      if (err instanceof WranglerError && err.statuses.includes(404)) return null
      throw err
    }
  }

  async listKeys(): Promise<string[]> {
    const stdout = await runWrangler(['kv', 'key', 'list', ...this.where], this.options.run)
    return (JSON.parse(stdout) as { name: string }[]).map((k) => k.name)
  }

  async put(entries: KvEntry[]): Promise<void> {
    await this.withFile(entries, (file) => ['kv', 'bulk', 'put', file, ...this.where])
  }

  async delete(keys: string[]): Promise<void> {
    await this.withFile(keys, (file) => ['kv', 'bulk', 'delete', file, '--force', ...this.where])
  }

  private async withFile(content: unknown, args: (file: string) => string[]): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'deploy-bulk-'))
    try {
      const file = join(dir, 'bulk.json')
      await writeFile(file, JSON.stringify(content))
      await runWrangler(args(file), { ...this.options.run, debug: true })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Publishing the worker code, separate from its data. */
export interface CodeDeployer {
  /** Identifies the code `deploy()` would publish; equal fingerprints need no new deploy. */
  fingerprint(): Promise<string>
  deploy(): Promise<void>
}

/**
 * `wrangler deploy`, skipped when the bundle and the configuration are what
 * was last published: a new worker version for every post would be wasted
 * work (and a new version may start with a cold cache).
 */
export class WranglerCode implements CodeDeployer {
  private readonly config: string
  private readonly run: RunOptions

  constructor(config = 'wrangler.toml', run: RunOptions = {}) {
    this.config = resolve(config)
    this.run = run
  }

  async fingerprint(): Promise<string> {
    const outdir = await mkdtemp(join(tmpdir(), 'deploy-bundle-'))
    try {
      await runWrangler(['deploy', '--dry-run', '--outdir', outdir, '--config', this.config], this.run)
      // The modules are reproducible; README.md and the source maps name the time and folder.
      const modules = (await readdir(outdir, { recursive: true, withFileTypes: true }))
        .filter((f) => f.isFile() && !/^README\.md$|\.map$/.test(f.name))
        .map((f) => join(f.parentPath, f.name))
        .sort()
      const parts = await Promise.all([...modules.map((f) => readFile(f)), readFile(this.config)])
      return sha256(Buffer.concat(parts)).slice(0, 16)
    } finally {
      await rm(outdir, { recursive: true, force: true })
    }
  }

  async deploy(): Promise<void> {
    await runWrangler(['deploy', '--config', this.config], { ...this.run, debug: true })
  }
}
