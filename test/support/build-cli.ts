import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface BuildRun {
  code: number
  stdout: string
  stderr: string
  out: string
}

/**
 * Runs `npm run build` for real, in its own process, as a user would. A build
 * that runs past `timeout` ms is killed (code null): a hang fails the test
 * instead of stalling the suite.
 */
export async function buildCli(
  content: string,
  flags: string[] = [],
  {
    out = join(content, 'out'),
    env = {},
    timeout = 120_000,
  }: { out?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<BuildRun> {
  try {
    const { stdout, stderr } = await run(
      'npx',
      ['tsx', 'src/builder/cli.ts', '--content', content, '--out', out, ...flags],
      { env: { ...process.env, ...env }, timeout, maxBuffer: 64 * 1024 * 1024 },
    )
    return { code: 0, stdout, stderr, out }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, out }
  }
}
