import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { wranglerBin, wranglerEnv } from '../wrangler-bin.ts'
import { captureDue, captureReportLines, dueImages } from './phase.ts'
import type { ArchiveRecord } from './record.ts'
import { archiveEndpoints } from './worker-client.ts'

/** wrangler dev's first start bundles the worker and starts workerd; on a loaded machine that is slow. */
const UP_WITHIN_MS = 120_000

/** A secret from .dev.vars (what wrangler dev gives the local worker), if set. */
export function devVar(name: string, path = '.dev.vars'): string | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  const value = new RegExp(`^${name}\\s*=\\s*(.*)$`, 'm').exec(text)?.[1]?.trim()
  return value?.replace(/^"(.*)"$/, '$1') || undefined
}

/**
 * Captures what waits into the local bucket through the worker serving the
 * local state at `site` (npm start's wrangler dev), once it answers
 * /healthz: the site is usable first, capture reports as it goes. Never
 * throws: a local archive that fails is a warning. The record is not saved
 * (the state is the running worker's now); the next local deploy reads the
 * bucket instead.
 */
export async function captureLocally(
  site: string,
  record: ArchiveRecord,
  log: (line: string) => void = console.log,
): Promise<void> {
  const due = dueImages(record, new Date()).length
  if (due === 0) return
  const token = devVar('IMAGE_ARCHIVE_TOKEN')
  if (!token) return log(`images: ${due} wait for capture: set IMAGE_ARCHIVE_TOKEN in .dev.vars (npm start adds one)`)
  try {
    await waitUntilUp(site)
    log(`images: capturing ${due} into the local bucket through ${site}`)
    const { report } = await captureDue(record, archiveEndpoints(site, token).capture, {
      retry: { attempts: 2 },
      onProgress: (done, total, bytes) => log(`  images: ${done}/${total} done (${(bytes / 1e6).toFixed(1)} MB)`),
    })
    for (const line of captureReportLines(report)) log(line)
  } catch (err) {
    log(`warning: local image capture: ${(err as Error).message}`)
  }
}

/**
 * `npm run deploy -- --local` without a running site: a short-lived wrangler
 * dev on the same state folder and a free port, stopped (by its process id)
 * once capture is done.
 */
export async function captureWithDevServer(
  record: ArchiveRecord,
  options: { persistTo: string; config?: string },
): Promise<void> {
  const due = dueImages(record, new Date()).length
  if (due === 0) return
  // Without the token the worker has no capture endpoint: no server to start.
  if (!devVar('IMAGE_ARCHIVE_TOKEN'))
    return console.log(`images: ${due} wait for capture: set IMAGE_ARCHIVE_TOKEN in .dev.vars (npm start adds one)`)
  const port = await freePort()
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', options.persistTo]
  if (options.config) args.push('--config', options.config)
  const dev = spawn(process.execPath, [wranglerBin, ...args, '--show-interactive-dev-session=false'], {
    env: wranglerEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => dev.once('exit', () => resolve()))
  try {
    await captureLocally(`http://127.0.0.1:${port}`, record)
  } finally {
    dev.kill('SIGTERM')
    await exited
  }
}

async function waitUntilUp(site: string): Promise<void> {
  const until = Date.now() + UP_WITHIN_MS
  for (;;) {
    try {
      const response = await fetch(new URL('/healthz', site))
      await response.body?.cancel()
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    if (Date.now() > until) throw new Error(`${site} did not answer /healthz within ${UP_WITHIN_MS / 1000} s`)
    await delay(500)
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
