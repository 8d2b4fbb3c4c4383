import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { wranglerBin, wranglerEnv } from '../../src/deploy/wrangler-bin.ts'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../..')
const GENERATED = 'worker-configuration.d.ts'

/** The arguments of `npm run types` after `wrangler`, so the check runs exactly what the script generates with. */
function typesArgs(): string[] {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts.types
  const [command, ...args] = script.split(/\s+/)
  expect(command).toBe('wrangler')
  return args
}

/** `wrangler types --check` in `cwd`: whether the generated file there matches its wrangler.toml. No network. */
async function check(cwd: string): Promise<{ upToDate: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [wranglerBin, ...typesArgs(), '--check'], {
      cwd,
      env: wranglerEnv,
    })
    return { upToDate: true, output: stdout + stderr }
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    return { upToDate: false, output: stdout + stderr }
  }
}

describe(`${GENERATED} (the worker's Env, from \`npm run types\`)`, () => {
  it('is up to date with wrangler.toml and .dev.vars.example', async () => {
    const { upToDate, output } = await check(root)
    expect(upToDate, `${output}\nrun \`npm run types\` and commit ${GENERATED}`).toBe(true)
  })

  it('is reported stale once wrangler.toml gains a variable', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'worker-types-'))
    for (const file of ['wrangler.toml', '.dev.vars.example', GENERATED, 'src/worker/index.ts']) {
      mkdirSync(dirname(join(copy, file)), { recursive: true })
      copyFileSync(join(root, file), join(copy, file))
    }
    expect((await check(copy)).upToDate).toBe(true)
    const toml = readFileSync(join(copy, 'wrangler.toml'), 'utf8')
    writeFileSync(join(copy, 'wrangler.toml'), toml.replace('[vars]\n', '[vars]\nA_NEW_VARIABLE = "x"\n'))
    const { upToDate, output } = await check(copy)
    expect(upToDate).toBe(false)
    expect(output).toMatch(/out of date/)
  })
})
