/**
 * Recoverable oddities are published with a warning, as Jekyll does: a post
 * without a title gets one from its body, its source URL or its file name; a
 * post without a date takes its file name's. Through the build CLI, and
 * through `npm start`'s build + local deploy (the deploy CLI with --local).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { keys } from '../../src/shared/schema.ts'
import { buildCli } from '../support/build-cli.ts'
import { contentFolder, postSource } from '../support/posts.ts'

const run = promisify(execFile)

const DATE = '2022-03-01T08:00:00.000Z'

function folder() {
  return contentFolder({
    '2022-03-01-empty-title.md': postSource(
      { layout: 'post', title: '""', date: DATE },
      '## The heading’s title\n\n<p>A post whose front matter title is empty.</p>\n',
    ),
    '2022-03-02-untitled.md': postSource(
      { layout: 'post', date: DATE, from: 'https://news.example/2022/03/the-end-of-zero-covid.html' },
      '<p>No title, but a source URL.</p>\n',
    ),
    '2022-03-03-Named by its file.md': postSource({ layout: 'post', date: DATE }, '<p>No title, no source.</p>\n'),
    '2022-03-04-dated-by-name.md': postSource({ layout: 'post', title: 'Dated by its name' }),
  })
}

describe('posts without a title or a date', () => {
  it('are published with fallbacks and a warning each', async () => {
    const { code, stdout, stderr, out } = await buildCli(folder())
    expect(code).toBe(0)
    expect(stdout).toMatch(/built 4 posts/)
    expect(stderr.split('\n').filter((line) => line.startsWith('warning: '))).toEqual([
      expect.stringMatching(
        /2022-03-01-empty-title\.md:3: empty title; published as "The heading’s title" \(the first heading of the body\)$/,
      ),
      expect.stringMatching(
        /2022-03-02-untitled\.md: no title; published as "The end of zero covid" \(the last part of its source URL\)$/,
      ),
      expect.stringMatching(
        /2022-03-03-Named by its file\.md: no title; published as "Named by its file" \(its file name\)$/,
      ),
      expect.stringMatching(/2022-03-04-dated-by-name\.md: no date; published with the file name's 2022-03-04$/),
    ])
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.map(({ title, date }: { title: string; date: string }) => ({ title, date }))).toEqual([
      { title: 'Dated by its name', date: '2022-03-04T00:00:00.000Z' },
      { title: 'The heading’s title', date: DATE },
      { title: 'The end of zero covid', date: DATE },
      { title: 'Named by its file', date: DATE },
    ])
    // The heading that gave the title is not shown a second time.
    const entries = JSON.parse(readFileSync(join(out, 'kv', 'bulk-0001.json'), 'utf8'))
    const titled = JSON.parse(entries.find((e: { key: string }) => e.key === keys.post('2022-03-01-empty-title')).value)
    expect(titled.html).toBe('<p>A post whose front matter title is empty.</p>')
  })

  it('come up through npm start’s build and local deploy', { timeout: 180_000 }, async () => {
    const dir = folder()
    const state = mkdtempSync(join(tmpdir(), 'recovered-state-'))
    const { stdout } = await run(
      process.execPath,
      ['src/deploy/cli.ts', '--local', '--persist-to', state, '--content', dir, '--out', join(dir, 'out'), '--json'],
      { maxBuffer: 16 * 1024 * 1024 },
    )
    const plan = JSON.parse(stdout)
    const added = plan.steps.flatMap((step: { action: string; keys: string[] }) =>
      step.action === 'add' ? step.keys : [],
    )
    for (const slug of [
      '2022-03-01-empty-title',
      '2022-03-02-untitled',
      '2022-03-03-named-by-its-file',
      '2022-03-04-dated-by-name',
    ])
      expect(added).toContain(keys.post(slug))
  })
})
