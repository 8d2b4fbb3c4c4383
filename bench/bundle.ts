import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { wranglerBin } from '../src/deploy/wrangler-bin.ts'
import { type CommandResult, runCommand } from './command.ts'

export interface Bundle extends CommandResult {
  outdir: string
  /** The entry module. */
  script: string
  /** Every module uploaded (source maps and wrangler's README left out). */
  modules: string[]
}

/** `wrangler deploy --dry-run --outdir`: the worker exactly as it would be uploaded, nothing sent. */
export async function bundleWorker(config: string, outdir: string): Promise<Bundle> {
  const result = await runCommand(process.execPath, [
    wranglerBin,
    'deploy',
    '--dry-run',
    '--config',
    config,
    '--outdir',
    outdir,
  ])
  const modules = (await readdir(outdir)).filter(
    (name) => /\.(m?js|wasm|txt|html|bin)$/.test(name) && name !== 'README.md',
  )
  const entry = modules.find((name) => /^index\.m?js$/.test(name)) ?? modules.find((name) => /\.m?js$/.test(name))
  if (!entry) throw new Error(`wrangler wrote no JavaScript to ${outdir}:\n${result.stdout}`)
  return { ...result, outdir, script: join(outdir, entry), modules: modules.map((name) => join(outdir, name)) }
}
