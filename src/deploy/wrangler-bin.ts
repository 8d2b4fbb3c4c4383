import { type SpawnOptions, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

// wrangler's package exports hide its bin; resolve it next to its package.json.
export const wranglerBin = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin/wrangler.js',
)

/** Environment for every wrangler run: no telemetry, no update checks, no calls to Cloudflare. */
export const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_NO_UPDATE_CHECK: 'true',
  // Miniflare would fetch Request.cf data from Cloudflare at start; the local placeholder is enough.
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
}

/** Runs the project's wrangler on this Node (the project's Node 22 under npm scripts). */
export function wrangler(args: string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wranglerBin, ...args], { stdio: 'inherit', env: wranglerEnv, ...options })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`wrangler ${args[0]} ${args[1] ?? ''} exited with ${signal ?? code}`)),
    )
  })
}
