import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../../src/deploy/journal.ts'
import { withRetry } from '../../src/deploy/retry.ts'
import { DeployError } from '../../src/deploy/store.ts'
import { wranglerBin, wranglerEnv } from '../../src/deploy/wrangler-bin.ts'
import { WranglerStore } from '../../src/deploy/wrangler-store.ts'
import { keys } from '../../src/shared/schema.ts'
import { freePort } from '../support/free-port.ts'
import { deploy, SiteFolder, smallPosts } from './deploy-fixtures.ts'

const run = promisify(execFile)
const [A, B, C, D] = smallPosts(4)

interface Answer {
  status: number
  body: string
  headers?: Record<string, string>
}

/**
 * The part of the Cloudflare API that `wrangler kv` uses, on 127.0.0.1: one
 * namespace in memory, and answers to hand out instead of the next bulk
 * requests (a rate limit, a gateway error, an auth failure).
 */
class FakeCloudflare {
  readonly values = new Map<string, string>()
  readonly bulkRequests: string[] = []
  answers: Answer[] = []
  private server: Server | undefined

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body),
      )
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/client/v4`
  }

  stop(): void {
    this.server?.close()
  }

  private async handle(req: IncomingMessage): Promise<Answer> {
    let text = ''
    for await (const chunk of req) text += chunk
    const url = new URL(req.url ?? '/', 'http://x')
    const path = url.pathname.replace(/^\/client\/v4\/accounts\/[^/]+\/storage\/kv\/namespaces\/[^/]+/, '')
    const ok = (result: unknown, extra = {}) => ({
      status: 200,
      body: JSON.stringify({ success: true, errors: [], messages: [], result, ...extra }),
    })
    if (path === '/bulk') {
      this.bulkRequests.push(req.method ?? '')
      const answer = this.answers.shift()
      if (answer) return answer
      if (req.method === 'PUT')
        for (const { key, value } of JSON.parse(text) as { key: string; value: string }[]) this.values.set(key, value)
      else for (const key of JSON.parse(text) as string[]) this.values.delete(key)
      return ok({ successful_key_count: 0, unsuccessful_keys: [] })
    }
    if (path.startsWith('/values/')) {
      const value = this.values.get(decodeURIComponent(path.slice('/values/'.length)))
      if (value === undefined)
        return {
          status: 404,
          body: JSON.stringify({ success: false, errors: [{ code: 10009, message: "get: 'key not found'" }] }),
        }
      return { status: 200, body: value, headers: { 'content-type': 'application/octet-stream' } }
    }
    if (path === '/keys') {
      const names = [...this.values.keys()].sort().map((name) => ({ name }))
      return ok(names, { result_info: { count: names.length, cursor: '' } })
    }
    return {
      status: 403,
      body: JSON.stringify({ success: false, errors: [{ code: 10000, message: 'Authentication error' }] }),
    }
  }
}

function wranglerConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-config-'))
  const file = join(dir, 'wrangler.toml')
  writeFileSync(
    file,
    'name = "deploy-test"\nmain = "worker.js"\ncompatibility_date = "2026-11-01"\nsend_metrics = false\n\n[[kv_namespaces]]\nbinding = "POSTS"\nid = "0123456789abcdef0123456789abcdef"\n',
  )
  return file
}

function remoteStore(apiBase: string, config: string): WranglerStore {
  const env = {
    CLOUDFLARE_API_BASE_URL: apiBase,
    CLOUDFLARE_API_TOKEN: 'test-token',
    CLOUDFLARE_ACCOUNT_ID: 'test-account',
  }
  return new WranglerStore({ config, run: { env } })
}

const entry = (key: string, value: string) => ({ key, value })

describe('WranglerStore against the Cloudflare API (a local stand-in)', { timeout: 180_000 }, () => {
  const api = new FakeCloudflare()
  let apiBase = ''
  const config = wranglerConfig()

  beforeAll(async () => {
    apiBase = await api.start()
  })
  afterAll(() => api.stop())

  it('retries a 429 (after its Retry-After) and a 502, then the bulk put lands', async () => {
    api.answers = [
      {
        status: 429,
        headers: { 'retry-after': '3' },
        body: JSON.stringify({
          success: false,
          errors: [{ code: 10048, message: 'KV PUT failed: 429 Too Many Requests' }],
        }),
      },
      { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>502 Bad Gateway</body></html>' },
    ]
    const waits: number[] = []
    const store = remoteStore(apiBase, config)
    await withRetry('put', () => store.put([entry('post:a', '{"a":1}')]), {
      attempts: 5,
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      sleep: async (ms) => void waits.push(ms),
      onRetry: () => {},
    })
    expect(waits).toEqual([3000, 2000])
    expect(api.values.get('post:a')).toBe('{"a":1}')
  })

  it('does not retry an answer that will not change (403)', async () => {
    const before = api.bulkRequests.length
    api.answers = [
      {
        status: 403,
        body: JSON.stringify({ success: false, errors: [{ code: 10000, message: 'Authentication error' }] }),
      },
    ]
    const failure = await withRetry('put', () => remoteStore(apiBase, config).put([entry('post:b', '{}')])).catch(
      (err: unknown) => err,
    )
    expect(failure).toBeInstanceOf(DeployError)
    expect(failure).toMatchObject({
      transient: false,
      message: expect.stringMatching(/HTTP 403.*Authentication error/s),
    })
    expect(api.bulkRequests.length - before).toBe(1)
  })

  it('counts an unreachable API as transient', async () => {
    const closed = new FakeCloudflare()
    const base = await closed.start()
    closed.stop()
    const failure = await remoteStore(base, config)
      .put([entry('post:c', '{}')])
      .catch((err: unknown) => err)
    expect(failure).toMatchObject({ transient: true })
  })

  it('deploys a site, records its state, and finds nothing to do the second time', async () => {
    api.values.clear()
    const site = await new SiteFolder([A, B]).build()
    const store = remoteStore(apiBase, config)
    const journal = new Journal(join(mkdtempSync(join(tmpdir(), 'deploy-journal-')), 'journal.json'))
    await deploy({ entries: site.entries, store, journal })
    expect(Object.fromEntries([...api.values].filter(([k]) => k !== keys.deployState))).toEqual(
      Object.fromEntries(site.entries.map((e) => [e.key, e.value])),
    )
    expect(JSON.parse(api.values.get(keys.deployState) ?? '{}')).toMatchObject({ schema: 1 })
    const again = await deploy({ entries: site.entries, store, journal })
    expect(again.plan.upToDate).toBe(true)
  })
})

const PURGE_TOKEN = 'deploy-e2e-purge-token'

/** `npm run deploy -- --local … --json`, as a user runs it; returns the plan it printed. */
async function deployLocal(
  content: string,
  state: string,
  env: Record<string, string> = {},
): Promise<{
  puts: number
  deletes: number
  purging: boolean
  steps: { phase: string; action: string; keys: string[] }[]
}> {
  const out = mkdtempSync(join(tmpdir(), 'deploy-dist-'))
  const { stdout } = await run(
    process.execPath,
    ['src/deploy/cli.ts', '--local', '--persist-to', state, '--content', content, '--out', out, '--json'],
    {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...env },
    },
  )
  return JSON.parse(stdout)
}

/** `wrangler dev` on the state, as `npm start` serves it (on free ports, so a running `npm start` does not clash). */
async function serve(state: string): Promise<{ origin: string; stop: () => void }> {
  const port = await freePort()
  const inspectorPort = await freePort()
  const child: ChildProcess = spawn(
    process.execPath,
    [
      wranglerBin,
      'dev',
      '--persist-to',
      state,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--var',
      'IMAGE_PROXY_KEY:deploy-e2e-key',
      '--var',
      `CACHE_PURGE_TOKEN:${PURGE_TOKEN}`,
    ],
    { env: wranglerEnv, detached: true, stdio: 'ignore' },
  )
  const stop = () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM')
  }
  const origin = `http://127.0.0.1:${port}`
  for (let i = 0; i < 120; i++) {
    const up = await fetch(`${origin}/robots.txt`).then(
      () => true,
      () => false,
    )
    if (up) return { origin, stop }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  stop()
  throw new Error('wrangler dev did not start')
}

describe('deploy --local, end to end', { timeout: 300_000 }, () => {
  it('serves a newly deployed post and answers 404 for a removed one, invalidating what the worker cached', async () => {
    const folder = new SiteFolder([A, B, C])
    const state = mkdtempSync(join(tmpdir(), 'deploy-state-'))
    const v1 = await folder.build()
    const first = await deployLocal(folder.dir, state)
    expect(first).toMatchObject({ puts: v1.entries.length, deletes: 0 })

    const server = await serve(state)
    try {
      const url = (site: typeof v1, name: string) => `${server.origin}${SiteFolder.postUrl(site, name)}`
      expect((await fetch(url(v1, B))).status).toBe(200)

      // Publish into the running site, as with `npm start` in one terminal and deploy in another;
      // the worker has cached B's page, which only the invalidation can take back.
      folder.remove(B)
      folder.add(D)
      const v2 = await folder.build()
      const second = await deployLocal(folder.dir, state, { SITE_URL: server.origin, CACHE_PURGE_TOKEN: PURGE_TOKEN })
      expect(second.purging).toBe(true)
      expect(second.steps.find((s) => s.phase === 'content' && s.action === 'add')?.keys).toEqual([
        SiteFolder.postKey(v2, D),
      ])
      expect(second.steps.find((s) => s.phase === 'content' && s.action === 'delete')?.keys).toEqual([
        SiteFolder.postKey(v1, B),
      ])
      expect(second.puts).toBeLessThan(v2.entries.length)

      expect((await fetch(url(v2, D))).status).toBe(200)
      expect((await fetch(url(v1, B))).status).toBe(404)
      expect((await fetch(url(v2, A))).status).toBe(200)
    } finally {
      server.stop()
    }
  })
})
