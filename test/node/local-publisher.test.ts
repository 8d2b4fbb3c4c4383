import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { parse } from 'parse5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localApp } from '../../src/deploy/local-app.ts'
import { LocalPublisher } from '../../src/deploy/local-publisher.ts'
import { LocalState } from '../../src/deploy/local-state.ts'
import { purgeThroughWorker } from '../../src/deploy/purge-cache.ts'
import { keys } from '../../src/shared/schema.ts'
import { freePort } from '../support/free-port.ts'
import { elementsOf, walk } from '../support/html-tree.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'

const post = (title: string, date: string) => postSource({ ...validFields, title: `"${title}"`, date })

/** Polls `url` until it answers `status`; the seconds that took. */
async function answers(url: string, status: number, seconds = 30): Promise<number> {
  const started = performance.now()
  for (;;) {
    if ((await fetch(url)).status === status) return (performance.now() - started) / 1000
    if (performance.now() - started > seconds * 1000) throw new Error(`${url} did not answer ${status} in ${seconds} s`)
    await delay(20)
  }
}

/** The text of the page's first <h1>, as a browser parses it. */
async function heading(url: string): Promise<string> {
  const [h1] = elementsOf(parse(await (await fetch(url)).text()), 'h1')
  let text = ''
  walk(h1, (node) => {
    if ('value' in node && node.nodeName === '#text') text += node.value
  })
  return text.trim()
}

// npm start's publishing: one process and one workerd serve the site and write its state.
describe('publishing into the state a served site reads (npm start)', { timeout: 180_000 }, () => {
  const content = contentFolder({ '2022-11-15-first.md': post('First post', '2022-11-15T00:45:00.000Z') })
  const persistTo = mkdtempSync(join(tmpdir(), 'publisher-state-'))
  const out = mkdtempSync(join(tmpdir(), 'publisher-out-'))
  const devVars = join(out, 'dev.vars')
  const purgeToken = 'p'.repeat(43)
  writeFileSync(devVars, `IMAGE_PROXY_KEY="${'k'.repeat(43)}"\nCACHE_PURGE_TOKEN="${purgeToken}"\n`)
  const state = new LocalState({ persistTo })
  const publisher = new LocalPublisher(state, { content, out })
  const published: boolean[] = []
  let site = ''
  let unwatch = () => {}

  beforeAll(async () => {
    const app = localApp({ devVars })
    expect(await publisher.publish()).toBe(true)
    const port = await freePort()
    site = (await state.serve(await app, { host: '127.0.0.1', port })).origin
    publisher.purgeThrough(purgeThroughWorker(site, purgeToken))
    unwatch = publisher.watch((ok) => published.push(ok))
  })
  afterAll(async () => {
    unwatch()
    await state.dispose()
  })

  // The README's address of a post: /YYYY/MM/DD/<title from the file name>/.
  const firstUrl = () => `${site}/2022/11/15/first/`

  it('serves what the first publish wrote', async () => {
    const url = firstUrl()
    expect((await fetch(url)).status).toBe(200)
    expect(await heading(url)).toBe('First post')
  })

  it('a post saved into the content folder is served a moment later, without a restart', async () => {
    const source = post('Second post', '2022-11-16T08:00:00.000Z')
    const url = `${site}/2022/11/16/second/`
    // Someone tried the address before the post existed; that 404 is not what they get after.
    expect((await fetch(url)).status).toBe(404)
    const home = await (await fetch(`${site}/`)).text()
    expect(home).not.toContain('Second post')
    // Written elsewhere and moved in, as a bot finishing a file does.
    writeFileSync(join(out, 'second.md'), source)
    renameSync(join(out, 'second.md'), join(content, 'posts', '2022-11-16-second.md'))
    const seconds = await answers(url, 200)
    console.log(`saved → served in ${seconds.toFixed(2)} s`)
    expect(await heading(url)).toBe('Second post')
    // The home page lists it too: the listings were published with it.
    expect(await (await fetch(`${site}/`)).text()).toContain('Second post')
  })

  it("files that are not posts publish nothing: an editor's swap file, a note beside the posts", async () => {
    const before = published.length
    writeFileSync(join(content, 'posts', '.2022-11-18-draft.md.swp'), 'swap')
    writeFileSync(join(content, 'posts', 'notes.txt'), 'a note')
    await delay(500)
    expect(published.length).toBe(before)
  })

  it('a broken post is not published, names its file, and leaves the site as it was', async () => {
    const before = published.length
    const errors: string[] = []
    const error = console.error
    console.error = (...args: unknown[]) => errors.push(args.join(' '))
    try {
      writeFileSync(join(content, 'posts', '2022-11-17-broken.md'), '---\ntitle: [unclosed\n---\nbody\n')
      for (let i = 0; published.length === before && i < 500; i++) await delay(20)
    } finally {
      console.error = error
    }
    expect(published.slice(before)).toEqual([false])
    expect(errors.join('\n')).toContain('2022-11-17-broken.md:')
    expect((await fetch(firstUrl())).status).toBe(200)
    expect(await (await fetch(`${site}/`)).text()).toContain('Second post')
  })

  it('the state writer cannot be reached through the served port, even by naming it', async () => {
    const attack = await fetch(`${site}/`, {
      method: 'POST',
      headers: { 'MF-Route-Override': 'local-state-writer' },
      body: JSON.stringify({ binding: 'POSTS', put: [{ key: keys.post('planted'), value: '{}' }] }),
    })
    expect(attack.status).toBe(403)
    expect(await (await state.kv('POSTS')).get(keys.post('planted'))).toBeNull()
  })

  it('the deploy state it recorded is the one a later deploy reads', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { file: string }[]
    expect(manifest.map((entry) => entry.file.split('/').pop()).sort()).toEqual([
      '2022-11-15-first.md',
      '2022-11-16-second.md',
    ])
  })
})
