import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { siteUrlProblem } from '../../src/deploy/site-url.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'

const run = promisify(execFile)

/** A wrangler configuration with a real-looking namespace id and the given `[vars]` lines. */
function config(vars: string, name = 'wrangler.toml'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'site-url-')), name)
  const head = 'name = "site-url-test"\nmain = "worker.js"\ncompatibility_date = "2026-11-01"\nsend_metrics = false\n'
  const kv = '[[kv_namespaces]]\nbinding = "POSTS"\nid = "0123456789abcdef0123456789abcdef"\n'
  writeFileSync(file, `${head}\n${vars}\n\n${kv}`)
  return file
}

describe('a production deploy needs SITE_URL', { timeout: 180_000 }, () => {
  // Stands in for the Cloudflare API: counts what reaches it and refuses it all.
  const requests: string[] = []
  const api = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    res
      .writeHead(403, { 'content-type': 'application/json' })
      .end(JSON.stringify({ success: false, errors: [{ code: 10000, message: 'Authentication error' }] }))
  })
  let apiBase = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
    apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}/client/v4`
  })
  afterAll(() => api.close())

  async function deploy(configFile: string, ...flags: string[]) {
    const content = contentFolder({ '2024-01-01-post.md': postSource(validFields) })
    const out = join(content, 'out')
    const args = ['src/deploy/cli.ts', '--config', configFile, '--content', content, '--out', out, ...flags]
    const env = {
      ...process.env,
      CLOUDFLARE_API_BASE_URL: apiBase,
      CLOUDFLARE_API_TOKEN: 'test-token',
      CLOUDFLARE_ACCOUNT_ID: 'test-account',
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    }
    requests.length = 0
    try {
      const { stderr } = await run(process.execPath, args, { env, timeout: 150_000 })
      return { code: 0, stderr, out }
    } catch (err) {
      const e = err as { code: number; stderr: string }
      return { code: e.code, stderr: e.stderr, out }
    }
  }

  it('takes an http(s) origin and nothing else, from TOML or JSON configuration', async () => {
    const verdicts: Record<string, string | undefined> = {}
    const values = [
      'https://news.example.org',
      'https://news.example.org/',
      'HTTPS://News.Example.org',
      'http://127.0.0.1:8787',
      '',
      'news.example.org',
      'ftp://news.example.org',
      'https://news.example.org/blog/',
      'https://user:secret@news.example.org',
      'https://news.example.org/?x=1',
      'javascript:alert(1)',
    ]
    for (const value of values)
      verdicts[value] = await siteUrlProblem(config(`[vars]\nSITE_URL = ${JSON.stringify(value)}`))
    expect(Object.keys(verdicts).filter((value) => verdicts[value] === undefined)).toEqual(values.slice(0, 4))
    expect(verdicts['']).toMatch(
      /has no SITE_URL, so the deployed worker would take the site's origin from each request's Host header/,
    )
    expect(verdicts['https://news.example.org/blog/']).toMatch(
      /SITE_URL in \S+ is not an http\(s\) origin \("https:\/\/news\.example\.org\/blog\/"\)/,
    )
    expect(await siteUrlProblem(config('[vars]\nSITE_NAME = "x"'))).toMatch(/has no SITE_URL/)

    const json = join(mkdtempSync(join(tmpdir(), 'site-url-')), 'wrangler.jsonc')
    writeFileSync(
      json,
      '{ "name": "x", "main": "w.js", // a comment\n "vars": { "SITE_URL": "https://news.example.org" } }',
    )
    expect(await siteUrlProblem(json)).toBeUndefined()
    writeFileSync(json, '{ "name": "x", "main": "w.js", "vars": { "SITE_URL": "" } }')
    expect(await siteUrlProblem(json)).toMatch(/has no SITE_URL/)
  })

  it('npm run deploy refuses with SITE_URL empty, says how to set it, and neither builds nor calls the API', async () => {
    const { code, stderr, out } = await deploy(config('[vars]\nSITE_URL = ""'))
    expect(code).toBe(1)
    expect(stderr).toMatch(
      /^error: \S+wrangler\.toml has no SITE_URL, .* set SITE_URL under \[vars\] in \S+ to the site's public origin, e\.g\. SITE_URL = "https:\/\/news\.example\.org"$/m,
    )
    expect(requests).toEqual([])
    expect(existsSync(out)).toBe(false)
  })

  it('--dry-run only warns, and goes on to plan (the stand-in API then refuses it)', async () => {
    const { stderr } = await deploy(config('[vars]\nSITE_URL = ""'), '--dry-run')
    expect(stderr).toMatch(/^warning: \S+wrangler\.toml has no SITE_URL/m)
    expect(stderr).not.toMatch(/^error: \S+wrangler\.toml has no SITE_URL/m)
    // Planning reads the recorded deploy state first: the deploy went past the check.
    expect(requests.length).toBeGreaterThan(0)
  })
})
