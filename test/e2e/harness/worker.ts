import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { searchDoc } from '../../../src/builder/search-doc.ts'
import { LocalState } from '../../../src/deploy/local-state.ts'
import { LocalSearchDb } from '../../../src/deploy/search-db.ts'
import { applySearch, planSearch } from '../../../src/deploy/search-sync.ts'
import { wrangler, wranglerBin, wranglerEnv } from '../../../src/deploy/wrangler-bin.ts'
import { keys, type StoredPost } from '../../../src/shared/schema.ts'

export interface WorkerOptions {
  /** Folder of posts to build. */
  content: string
  /** Scratch folder: build output, KV state, env file. */
  work: string
  port: number
  inspectorPort: number
  /** Variables and secrets for the worker (written to an env file, not .dev.vars). */
  vars: Record<string, string>
}

export interface LocalWorker {
  url: string
  /** The posts as the build stored them in KV. */
  posts: StoredPost[]
  stop(): Promise<void>
}

/**
 * Builds the content with the build CLI, loads its KV bulk files into a fresh
 * local state with `wrangler kv bulk put --local`, indexes the posts for
 * search into its D1 with deploy's code, and serves it with
 * `wrangler dev` — the way `npm start` does, on this suite's own ports and state.
 */
export async function startLocalWorker(options: WorkerOptions): Promise<LocalWorker> {
  const { work, port, inspectorPort } = options
  for (const p of [port, inspectorPort]) {
    if (await listening(p)) throw new Error(`port ${p} is in use: is another e2e run (or its wrangler) still going?`)
  }
  const out = join(work, 'dist')
  await run(
    process.execPath,
    ['--import', 'tsx', 'src/builder/cli.ts', '--content', options.content, '--out', out],
    'npm run build',
  )
  const state = join(work, 'state')
  const bulkFiles = readdirSync(join(out, 'kv'))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(out, 'kv', name))
  for (const file of bulkFiles) {
    await wrangler(['kv', 'bulk', 'put', file, '--binding', 'POSTS', '--local', '--persist-to', state], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
  }
  const posts = bulkFiles
    .flatMap((file) => JSON.parse(readFileSync(file, 'utf8')) as { key: string; value: string }[])
    .filter((entry) => entry.key.startsWith(keys.post('')))
    .map((entry) => JSON.parse(entry.value) as StoredPost)
  await indexForSearch(state, posts)

  // An explicit env file keeps the developer's .dev.vars out of the run.
  const envFile = join(work, 'worker.env')
  const vars = { IMAGE_PROXY_KEY: randomBytes(32).toString('base64url'), ...options.vars }
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join(''),
    { mode: 0o600 },
  )

  const args = [
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--persist-to',
    state,
    '--env-file',
    envFile,
    '--show-interactive-dev-session=false',
    '--log-level',
    'warn',
  ]
  const log: string[] = []
  // Its own process group, so stopping it also stops the workerd it starts.
  const child = spawn(process.execPath, [wranglerBin, ...args], {
    env: wranglerEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => log.push(chunk.toString()))
  const url = `http://127.0.0.1:${port}`
  try {
    await waitUntilServing(url, child, log)
  } catch (err) {
    await stopGroup(child)
    throw err
  }
  return { url, posts, stop: () => stopGroup(child) }
}

/** The search rows of the stored posts, written as deploy --local writes them (migrations first). */
async function indexForSearch(persistTo: string, posts: readonly StoredPost[]): Promise<void> {
  const local = new LocalState({ persistTo })
  try {
    const db = new LocalSearchDb(local)
    const docs = posts.map((post) => searchDoc(post).doc)
    // A fresh state: any name for the index will do.
    const plan = await planSearch(db, new Map(docs.map((doc) => [doc.slug, doc.hash])), 'e2e')
    await applySearch(db, plan, async (slugs) => docs.filter((doc) => slugs.includes(doc.slug)))
  } finally {
    await local.dispose()
  }
}

async function waitUntilServing(url: string, child: ChildProcess, log: string[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log.join('')}`)
    // wrangler dev keeps watching after a failed bundle; the suite cannot run on it.
    if (log.some((line) => line.includes('Build failed')))
      throw new Error(`wrangler dev could not bundle the worker:\n${log.join('')}`)
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(5_000) })
      await response.arrayBuffer()
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  throw new Error(`wrangler dev did not answer at ${url} within ${timeoutMs / 1000} s:\n${log.join('')}`)
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  process.kill(-child.pid, 'SIGTERM')
  const kill = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5_000)
  return exited.finally(() => clearTimeout(kill))
}

/** Runs a command to completion, showing its errors; rejects on a non-zero exit. */
function run(command: string, args: string[], name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${name} exited with ${signal ?? code}`)),
    )
  })
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
