import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { expect, it } from 'vitest'
import { freePort } from '../support/free-port.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'

// The README's `npm start`, as its own process: it serves, publishes a saved post, and on Ctrl-C
// stops and leaves the state folder unlocked for the next deploy.
it('npm start serves, publishes a post saved while it runs, and unlocks the state on Ctrl-C', async () => {
  const first = postSource({ ...validFields, title: '"Already there"' })
  const content = contentFolder({ '2022-11-15-already-there.md': first })
  const persistTo = mkdtempSync(join(tmpdir(), 'npm-start-state-'))
  const port = await freePort()
  const site = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['scripts/start.ts', '--no-archive'], {
    env: { ...process.env, CONTENT_DIR: content, PORT: String(port), PERSIST_TO: persistTo },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const until = async (done: () => boolean | Promise<boolean>, what: string) => {
    for (const end = Date.now() + 90_000; Date.now() < end; await delay(50)) if (await done()) return
    throw new Error(`npm start: ${what} within 90 s:\n${output}`)
  }
  try {
    await until(() => /^serving /m.test(output), 'no "serving" line')
    expect(existsSync(join(persistTo, 'lock.json'))).toBe(true)
    // The README's address of a post: /YYYY/MM/DD/<title from the file name>/.
    expect((await fetch(`${site}/2022/11/15/already-there/`)).status).toBe(200)

    const second = postSource({ ...validFields, title: '"Saved later"', date: '2022-11-16T08:00:00.000Z' })
    writeFileSync(join(content, 'posts', '2022-11-16-saved-later.md'), second)
    const url = `${site}/2022/11/16/saved-later/`
    await until(async () => (await fetch(url)).status === 200, `${url} did not answer 200`)
    await until(() => /^published in [\d.]+ s/m.test(output), 'no "published in" line')
  } finally {
    child.kill('SIGINT')
    await exited
  }
  expect(existsSync(join(persistTo, 'lock.json'))).toBe(false)
}, 180_000)
