import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Runs `npm run build` for real, in its own process, as a user would; output goes to `<content>/out`. */
export async function buildCli(content: string, ...flags: string[]) {
  const out = join(content, 'out')
  try {
    const { stdout, stderr } = await run('npx', [
      'tsx',
      'src/builder/cli.ts',
      '--content',
      content,
      '--out',
      out,
      ...flags,
    ])
    return { code: 0, stdout, stderr, out }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, out }
  }
}
