import { execFile, spawn } from 'node:child_process'
import { copyFile, mkdir, readdir, readFile, rename, symlink } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import { readPost } from '../../src/builder/parse-post.ts'
import { parseDeployState } from '../../src/deploy/deploy-state.ts'
import { LocalState } from '../../src/deploy/local-state.ts'
import { wranglerEnv } from '../../src/deploy/wrangler-bin.ts'
import { keys, postPath } from '../../src/shared/schema.ts'
import { freePort } from '../../test/support/free-port.ts'
import { runCommand } from '../command.ts'
import { type BenchContext, generatePosts, LARGE_SITE_POSTS, type SectionResult } from '../context.ts'
import { mark } from '../format.ts'
import { median } from '../stats.ts'

/** The targets for one new post into 10,000: wall seconds, warm (npm start running, or a deploy) and fresh. */
const TARGET_WARM_SECONDS = 2
const TARGET_FRESH_SECONDS = 10

/** The part of `npm run deploy -- --json`'s plan this section reads. */
interface DeployPlan {
  upToDate: boolean
  puts: number
  deletes: number
  steps: { keys: string[] }[]
}

interface Publish {
  /** `npm run deploy` from spawn to exit: process start, build from the recorded state, plan, writes. */
  seconds: number
  /** The build's own timer, and how many bodies it rendered. */
  buildSeconds: number
  rendered: number
  /** The writes alone, as deploy reports them. */
  writeSeconds: number
  puts: number
  deletes: number
  /** Keys written, by kind (the prefix before the first colon). */
  kinds: Record<string, number>
}

/**
 * 5. Publishing one new post into a local deployment of 10,000
 * (`npm run deploy -- --local`, the state `npm start` serves): from this
 * machine, with its build cache; then from a fresh checkout elsewhere with no
 * build cache (and no compile cache), as a CI runner is, the local state standing
 * in for KV. Each run adds the next newest post, as a writer would.
 */
export async function benchPublish(ctx: BenchContext): Promise<SectionResult> {
  const site = await ctx.largeSite()
  const state = join(ctx.tmp, 'publish-state')
  const deploy = (cwd: string, env: Record<string, string> = {}) =>
    runCommand(
      'npm',
      [
        'run',
        '--silent',
        'deploy',
        '--',
        '--local',
        '--persist-to',
        state,
        '--content',
        site.dir,
        '--out',
        join(ctx.tmp, 'publish-dist'),
        '--json',
        // The text's publish time: image capture runs after it and is measured in its own section.
        '--no-archive',
      ],
      { cwd, env: { BUILD_CACHE_DIR: join(ctx.tmp, 'publish-cache'), ...env } },
    )

  const initial = measured(await deploy(process.cwd()))
  ctx.log(`publish: initial deployment of ${site.posts} posts, ${initial.puts} keys in ${initial.seconds.toFixed(1)} s`)
  const runs = Math.min(ctx.runs, 3)
  let next = LARGE_SITE_POSTS
  const publishOne = async (label: string, cwd: string, env?: Record<string, string>) => {
    await generatePosts(site.dir, 1, next++)
    const publish = measured(await deploy(cwd, env))
    if (!publish.kinds.post)
      throw new Error(`publishing post ${next - 1} wrote no post key: ${JSON.stringify(publish.kinds)}`)
    ctx.log(
      `publish (${label}): ${publish.rendered} rendered, ${publish.puts} puts in ${publish.seconds.toFixed(1)} s` +
        ` (build ${publish.buildSeconds.toFixed(1)} s, writes ${publish.writeSeconds.toFixed(1)} s)`,
    )
    return publish
  }

  const warm: Publish[] = []
  for (let i = 0; i < runs; i++) warm.push(await publishOne('warm machine', process.cwd()))
  const checkout = await freshCheckout(join(ctx.tmp, 'fresh-checkout'))
  const fresh: Publish[] = []
  for (let i = 0; i < runs; i++)
    fresh.push(await publishOne('fresh checkout', checkout, { BUILD_CACHE: 'off', NODE_DISABLE_COMPILE_CACHE: '1' }))
  const recorded = await stateSize(state)
  const serving = await servedPublish(ctx, {
    checkout,
    content: site.dir,
    state,
    cacheDir: join(ctx.tmp, 'publish-cache'),
    runs,
    next: () => next++,
  })

  const row = (publishes: Publish[], target: number) => {
    const seconds = median(publishes.map((p) => p.seconds))
    const last = publishes[publishes.length - 1]
    const kinds = Object.entries(last.kinds)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ')
    return {
      result:
        `**${seconds.toFixed(1)} s**; rendered ${median(publishes.map((p) => p.rendered))} posts, ` +
        `wrote ${median(publishes.map((p) => p.puts + p.deletes))} keys (${kinds}); build ${median(publishes.map((p) => p.buildSeconds)).toFixed(1)} s, ` +
        `writes ${median(publishes.map((p) => p.writeSeconds)).toFixed(1)} s (median of ${publishes.length})`,
      target: `< ${target} s ${mark(seconds < target, seconds, target)}`,
    }
  }
  const posts = site.posts.toLocaleString('en')
  return {
    data: { posts: site.posts, initial, warm, fresh, serving, state: recorded },
    rows: [
      {
        section: 'Publish',
        measure: `1 new post saved into the content folder of a ${posts}-post site while \`npm start\` runs: file in place → its page answers 200`,
        result:
          `**${median(serving.live).toFixed(2)} s** (runs ${serving.live.map((s) => s.toFixed(2)).join(', ')}); ` +
          `the whole publish, the deploy state recorded: ${median(serving.published).toFixed(1)} s`,
        target: `< ${TARGET_WARM_SECONDS} s ${mark(median(serving.live) < TARGET_WARM_SECONDS, median(serving.live), TARGET_WARM_SECONDS)}`,
      },
      {
        section: 'Publish',
        measure: `the same as one \`npm run deploy -- --local\`, warm machine (build cache and local state): a process that starts Node, Miniflare and workerd`,
        ...row(warm, TARGET_WARM_SECONDS),
      },
      {
        section: 'Publish',
        measure: `the same from a fresh checkout: no build cache (\`BUILD_CACHE=off\`), no compile cache (\`NODE_DISABLE_COMPILE_CACHE=1\`); the local state present, as KV is in production`,
        ...row(fresh, TARGET_FRESH_SECONDS),
      },
      {
        section: 'Publish',
        measure: `first deployment of the ${posts} posts (setup: cold build, every key); the recorded \`deploy:state\` after it all`,
        result:
          `${initial.seconds.toFixed(1)} s, ${initial.puts.toLocaleString('en')} keys; deploy:state ${(recorded.bytes / 1e6).toFixed(2)} MB ` +
          `(${(recorded.buildJsonBytes / 1e6).toFixed(1)} MB of build records as JSON, stored gzipped), KV's limit 26.2 MB`,
      },
    ],
  }
}

/**
 * `npm start -- --no-archive` in the checkout, on the deployed state: each run
 * moves one new post into the content folder (a rename, as a bot finishing a
 * file does) and polls its URL until it answers 200 — the reader's view of
 * "live" — then waits for the publish's own line.
 */
async function servedPublish(
  ctx: BenchContext,
  options: { checkout: string; content: string; state: string; cacheDir: string; runs: number; next: () => number },
): Promise<{ live: number[]; published: number[] }> {
  const port = await freePort()
  const child = spawn('npm', ['start', '--silent', '--', '--no-archive'], {
    cwd: options.checkout,
    env: {
      ...wranglerEnv,
      CONTENT_DIR: options.content,
      PORT: String(port),
      PERSIST_TO: options.state,
      BUILD_CACHE_DIR: options.cacheDir,
    },
    // Its own process group: stopping it stops workerd too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const waitFor = async (pattern: RegExp, from: number, seconds: number) => {
    for (const until = performance.now() + seconds * 1000; performance.now() < until; await delay(10)) {
      const match = pattern.exec(output.slice(from))
      if (match) return match
      if (child.exitCode !== null) break
    }
    throw new Error(`npm start: no ${pattern} within ${seconds} s:\n${output.slice(-4000)}`)
  }
  try {
    await waitFor(/^serving /m, 0, 600)
    ctx.log(`publish: npm start serves ${options.content} at http://127.0.0.1:${port}`)
    const live: number[] = []
    const published: number[] = []
    for (let i = 0; i < options.runs; i++) {
      const stage = join(ctx.tmp, `stage-${i}`)
      await generatePosts(stage, 1, options.next())
      const [name] = await readdir(stage)
      const url = `http://127.0.0.1:${port}${postPath(readPost(name, await readFile(join(stage, name), 'utf8')).slug)}`
      const from = output.length
      const started = performance.now()
      await rename(join(stage, name), join(options.content, name))
      for (;;) {
        if ((await fetch(url)).status === 200) break
        if (performance.now() - started > 60_000) throw new Error(`${url} did not answer 200 within 60 s`)
        await delay(10)
      }
      live.push((performance.now() - started) / 1000)
      const [, seconds] = await waitFor(/^published in ([\d.]+) s/m, from, 60)
      published.push(Number(seconds))
      ctx.log(`publish (npm start): live in ${live[i].toFixed(2)} s, published in ${seconds} s`)
    }
    return { live, published }
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM')
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
  }
}

/**
 * A checkout of the project at another path — the files git tracks, as they
 * are in the working tree — sharing node_modules (the build cache in it is
 * turned off for the runs there).
 */
async function freshCheckout(dir: string): Promise<string> {
  const { stdout } = await promisify(execFile)('git', ['ls-files', '-z'], { maxBuffer: 16 * 1024 * 1024 })
  for (const file of stdout.split('\0').filter(Boolean)) {
    await mkdir(dirname(join(dir, file)), { recursive: true })
    await copyFile(file, join(dir, file)).catch(() => {}) // a file deleted in the working tree
  }
  await symlink(resolve('node_modules'), join(dir, 'node_modules'))
  return dir
}

/** The recorded deploy state: its stored size, and its build records as JSON. */
async function stateSize(persistTo: string): Promise<{ bytes: number; buildJsonBytes: number }> {
  const local = new LocalState({ persistTo })
  try {
    const text = (await (await local.kv('POSTS')).get(keys.deployState)) ?? ''
    const build = parseDeployState(text)?.build
    return { bytes: Buffer.byteLength(text), buildJsonBytes: Buffer.byteLength(JSON.stringify(build ?? {})) }
  } finally {
    await local.dispose()
  }
}

const BUILT = /built \d+ posts \([\d.]+ MB\) in ([\d.]+) s \(rendered (\d+)/
const DEPLOYED = /deployed to .* in ([\d.]+) s/

function measured({ seconds, stdout, stderr }: { seconds: number; stdout: string; stderr: string }): Publish {
  const plan = JSON.parse(stdout) as DeployPlan
  const kinds: Record<string, number> = {}
  for (const step of plan.steps)
    for (const key of step.keys) kinds[key.split(':')[0]] = (kinds[key.split(':')[0]] ?? 0) + 1
  const built = BUILT.exec(stderr)
  const writes = DEPLOYED.exec(stderr)
  if (!built || (!writes && !plan.upToDate))
    throw new Error(`npm run deploy did not report its build and writes:\n${stderr}`)
  return {
    seconds,
    buildSeconds: Number(built[1]),
    rendered: Number(built[2]),
    writeSeconds: writes ? Number(writes[1]) : 0,
    puts: plan.puts,
    deletes: plan.deletes,
    kinds,
  }
}
