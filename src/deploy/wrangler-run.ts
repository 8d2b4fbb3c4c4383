import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeployError } from './store.ts'
import { wranglerBin, wranglerEnv } from './wrangler-bin.ts'

/** A failed wrangler run, with the HTTP statuses the Cloudflare API answered during it. */
export class WranglerError extends DeployError {
  readonly statuses: number[]

  constructor(message: string, transient: boolean, retryAfterMs: number | undefined, statuses: number[]) {
    super(message, transient, retryAfterMs)
    this.name = 'WranglerError'
    this.statuses = statuses
  }
}

export interface RunOptions {
  /** Extra environment (tests point CLOUDFLARE_API_BASE_URL at a local server). */
  env?: Record<string, string>
  /**
   * Run with WRANGLER_LOG=debug, whose lines name the HTTP status of every API
   * answer. Only for commands whose stdout is not data (debug lines go there).
   */
  debug?: boolean
  /** Called with wrangler's own progress lines ("Uploaded 40% (4,000 out of 10,000)"). */
  onProgress?: (line: string) => void
}

/**
 * Runs the project's wrangler and returns its stdout. A failure is classified
 * by what the API answered (debug lines, and wrangler's machine-readable
 * output file in a scratch folder) rather than by its wording alone.
 */
export async function runWrangler(args: string[], options: RunOptions = {}): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'deploy-wrangler-'))
  const outputFile = join(scratch, 'output.ndjson')
  try {
    const env = {
      ...wranglerEnv,
      ...options.env,
      ...(options.debug ? { WRANGLER_LOG: 'debug', WRANGLER_LOG_SANITIZE: 'true' } : {}),
      WRANGLER_OUTPUT_FILE_PATH: outputFile,
    }
    const { code, stdout, stderr } = await capture(args, env, options.onProgress)
    if (code === 0) return stdout
    throw classifyFailure(args, stderr, stdout, await readOptional(outputFile))
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

function capture(
  args: string[],
  env: NodeJS.ProcessEnv,
  onProgress?: (line: string) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wranglerBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk)
      if (onProgress)
        for (const line of chunk.toString().split('\n'))
          if (/^(Uploaded|Deleted) \d+%/.test(line)) onProgress(line.trim())
    })
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    )
  })
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return ''
  }
}

const NETWORK_FAILURE =
  /fetch failed|connectivity issue|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up|UND_ERR/i
// Only when no status is known (runs without debug lines): the wording of a rate limit or a server error.
const OVERLOAD_WORDING =
  /Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout|temporarily unavailable/i

/**
 * Transient: the API answered 429 or 5xx, or never answered (network).
 * Anything else (auth, a missing namespace, bad
 * input) will fail the same way again, so it is permanent.
 */
export function classifyFailure(args: string[], stderr: string, stdout: string, output: string): WranglerError {
  const failed = output
    .split('\n')
    .filter((line) => line.includes('"command-failed"'))
    .map((line) => JSON.parse(line) as { message?: string; retry_after_ms?: number })
    .pop()
  const details = stripAnsi(stderr)
    .split('\n')
    .filter((line) => line.trim() && !/If you think this is a bug|Logs were written to/.test(line))
    .join('\n')
    .trim()
  const text = `${failed?.message ?? ''}\n${details}`
  const statuses = [
    ...[...stdout.matchAll(/-- START CF API RESPONSE: .*?(\d{3})\s*$/gm)].map((m) => Number(m[1])),
    ...[...text.matchAll(/(?:-> |- )(\d{3})[: ]/g)].map((m) => Number(m[1])),
  ]
  const transient =
    statuses.some((s) => s === 429 || s >= 500) ||
    (statuses.length === 0 && (NETWORK_FAILURE.test(text) || OVERLOAD_WORDING.test(text)))
  const command = `wrangler ${args.slice(0, 3).join(' ')}`
  const status = statuses.length > 0 ? ` (HTTP ${[...new Set(statuses)].join(', ')})` : ''
  return new WranglerError(
    `${command}${status}: ${details || failed?.message || 'failed'}`,
    transient,
    failed?.retry_after_ms,
    statuses,
  )
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}
