/**
 * The safety net for rules, through `npm run build` as a user runs it: a post
 * that rules took more than the allowed share of is a warning naming the
 * rules and amounts, an error with --strict; removed.json lists every post
 * rules took text from.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildCli as build } from '../support/build-cli.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'

/** Text the source hid (`display: none`): the global rule `hidden-at-source` removes it. */
const HIDDEN = 'Chart label for another screen width, never shown. '.repeat(4)
/** iYouPort's own title header: the site rule `iyouport.org/title-header` removes it. */
const HEADER = 'The source’s own title, repeated'
const SHOWN = 'The article itself: one paragraph a reader sees.'

const chars = (text: string) => text.replace(/\s+/g, '').length

function folder() {
  return contentFolder({
    '2022-06-01-mostly-hidden.md': postSource(
      validFields,
      `<p>${SHOWN}</p>\n<div style="display: none"><p>${HIDDEN}</p></div>\n`,
    ),
    '2022-06-02-iyouport.md': postSource(
      { ...validFields, from: 'https://www.iyouport.org/2022/06/a/' },
      `<header class="entry-header"><h1>${HEADER}</h1></header>\n<p>${SHOWN} ${SHOWN}</p>\n`,
    ),
    '2022-06-03-clean.md': postSource(validFields, `<p>${SHOWN}</p>\n`),
  })
}

describe('what rules removed', () => {
  it('warns about posts rules took more than 20% of, and lists every post they took from in removed.json', async () => {
    const { code, stderr, out } = await build(folder())
    expect(code).toBe(0)
    const warnings = stderr.split('\n').filter((line) => line.startsWith('warning: '))
    const hidden = chars(HIDDEN)
    const total = chars(SHOWN) + hidden
    const header = chars(HEADER)
    const percent = (part: number, whole: number) => Math.round((part / whole) * 100)
    expect(warnings).toEqual([
      expect.stringContaining(
        `2022-06-01-mostly-hidden.md: rules removed ${hidden} of ${total} characters (${percent(hidden, total)}%): hidden-at-source ${hidden}`,
      ),
      expect.stringContaining(
        `2022-06-02-iyouport.md: rules removed ${header} of ${header + 2 * chars(SHOWN)} characters (${percent(header, header + 2 * chars(SHOWN))}%): iyouport.org/title-header ${header}`,
      ),
    ])

    const report = JSON.parse(readFileSync(join(out, 'removed.json'), 'utf8'))
    expect(Object.keys(report.posts)).toEqual(['posts/2022-06-01-mostly-hidden.md', 'posts/2022-06-02-iyouport.md'])
    expect(report.posts['posts/2022-06-01-mostly-hidden.md']).toEqual({
      characters: total,
      removed: hidden,
      share: Number((hidden / total).toFixed(3)),
      byRule: { 'hidden-at-source': hidden },
    })
    expect(report.rules['iyouport.org/title-header']).toEqual({
      why: expect.stringContaining('title'),
      posts: 1,
      characters: chars(HEADER),
    })
    expect(report.maxRemovedShare).toBe(0.2)
  })

  it('takes another share with --max-removed', async () => {
    const { code, stderr, out } = await build(folder(), '--max-removed', '90')
    expect(code).toBe(0)
    expect(stderr).not.toMatch(/warning: .*rules removed/)
    expect(JSON.parse(readFileSync(join(out, 'removed.json'), 'utf8')).maxRemovedShare).toBe(0.9)
    expect((await build(folder(), '--max-removed', 'lots')).code).toBe(2)
  })

  it('with --strict makes them errors, exits 1 and writes nothing', async () => {
    const { code, stderr, out } = await build(folder(), '--strict')
    expect(code).toBe(1)
    expect(stderr.split('\n').filter((line) => line.startsWith('error: '))).toEqual([
      expect.stringMatching(/2022-06-01-mostly-hidden\.md: rules removed \d+ of \d+ characters .*hidden-at-source/),
      expect.stringMatching(
        /2022-06-02-iyouport\.md: rules removed \d+ of \d+ characters .*iyouport\.org\/title-header/,
      ),
    ])
    expect(stderr).toMatch(/2 post\(s\) lost more than 20% of their text to rules; nothing written \(--strict\)/)
    expect(existsSync(out)).toBe(false)
  })
})
