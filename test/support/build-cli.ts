import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Runs `npm run build` for real, in its own process, as a user would; output goes to `<content>/out`. */
export function buildCli(content: string, ...flags: string[]) {
  return runBuildCli(content, flags)
}

/**
 * buildCli with a time limit — a build running past it is killed (code null),
 * so a hang fails its test instead of stalling the suite — and extra environment.
 */
export async function runBuildCli(
  content: string,
  flags: string[],
  { env = {}, timeout = 120_000 }: { env?: NodeJS.ProcessEnv; timeout?: number } = {},
) {
  const out = join(content, 'out')
  const args = ['src/builder/cli.ts', '--content', content, '--out', out, ...flags]
  try {
    const options = { env: { ...process.env, ...env }, timeout, maxBuffer: 256 * 1024 * 1024 }
    const { stdout, stderr } = await run(process.execPath, args, options)
    return { code: 0 as number | null, stdout, stderr, out }
  } catch (err) {
    const e = err as { code: number | null; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, out }
  }
}
