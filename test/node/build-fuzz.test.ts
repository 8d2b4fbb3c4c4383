/**
 * Build fuzz: a few hundred generated posts whose front matter gives every key
 * wrong types, odd YAML tags, anchors, aliases and huge values, with bodies of
 * hostile HTML, control characters and invalid UTF-8, and some odd file names.
 * Seeded: the seed is printed, and FUZZ_SEED=<seed> repeats a run exactly.
 *
 * Oracle: each post is published with fields of the right types (and the
 * generated values where they were valid) and a body that passes the browser-
 * parse safety check, or it is refused by a line naming its file; posts that
 * cannot be valid are refused. The build never crashes, a failed build leaves
 * the output folder as it was, and a successful one writes a manifest and bulk
 * files that agree.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KV_MAX_KEY_BYTES, type KvEntry, type StoredPost } from '../../src/shared/schema.ts'
import { runBuildCli } from '../support/build-cli.ts'
import { bodyProblems } from '../support/render-safety.ts'
import { seededRandom } from '../support/seeded-random.ts'

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
const POSTS = 300

const { next, int, pick, chance } = seededRandom(SEED)

const WORDS = [
  'news',
  'Hello',
  '王毅',
  '習近平',
  'café',
  'über',
  '😀',
  'x',
  'Q&A',
  'a:b',
  '#tag',
  '[x]',
  "O'Neil",
  '"q"',
]
const text = () =>
  Array.from({ length: 1 + int(4) }, () => pick(WORDS))
    .join(' ')
    .trim()
const isoDate = () => {
  const time = Date.UTC(1000 + int(9000), int(12), 1 + int(28), int(24), int(60), int(60))
  return new Date(time).toISOString()
}

/** A YAML value of any type: what a bot or an attacker could put after `key:`. */
function oddValue(): string {
  return pick<() => string>([
    () => pick(['42', '-1', '1e309', '0x1F', '.inf', '.nan', '0.5', '007']),
    () => pick(['true', 'false', 'True', 'yes', 'no', 'on', '~', 'null', '']),
    () => `[${Array.from({ length: int(4) }, () => JSON.stringify(text())).join(', ')}]`,
    () => `[[1, [2, [3]]], {a: b}]`,
    () => `{a: 1, b: [x, y], c: {d: e}}`,
    () => '{}',
    () => `\n  - ${text()}\n  - [nested]\n  - k: v`,
    () => `|\n  line one\n  line two ${text()}`,
    () => `>-\n  folded ${text()}\n  text`,
    () =>
      pick(['!!binary aGVsbG8=', '!!timestamp 2024-01-01', '!!set {a, b}', '!!omap [a: 1, b: 2]', '!!pairs [a: 1]']),
    () => pick(['!!str 123', '!!int "12"', '!!float "1.5"', '!!null ""', '!!bool "true"', '!!int "x"']),
    () => pick(['!!js/function "function () {}"', '!!js/undefined ""', '!!js/regexp /x/', '!custom x', '!<tag:x> y']),
    () => `&anchor${int(3)} ${JSON.stringify(text())}`,
    () => `*anchor${int(3)}`,
    () => JSON.stringify(`${text()}\u0000\u0007\u001b[31m\u2028\u202e\u0085${text()}`),
    () => JSON.stringify(pick(['x', '字', '<b>', '&amp;']).repeat(1 + int(200_000))),
    () =>
      pick([
        '0000-01-01',
        '+010000-01-01T00:00:00Z',
        '-000001-01-01',
        '2024-02-30',
        '2024-13-01',
        '9999-12-31T23:59:59Z',
      ]),
    () => pick(['1000-01-01', '2022-11-15 08:45:00 +0800', '"2022-11-15T08:45:00+08:00"', 'Jan 1 0000', '1/1/99']),
    () =>
      pick(['javascript:alert(1)', '"https://example.com/a b"', 'https://example.com/x', '//evil.example/x', 'data:x']),
    () => `"${'\\'.repeat(1 + int(3))}x"`,
  ])()
}

type Kind = 'valid' | 'odd' | 'missing'

interface Generated {
  name: string
  token: string
  source: Buffer
  /** The values written where they were valid: a published post must hold them. */
  expect: { title?: string; date?: string; updated?: string; tags?: string[]; author?: string }
  /** Why the post cannot be published, when it certainly cannot. */
  mustRefuse?: string
}

function generatePost(i: number): Generated {
  const token = `-fuzz-${i}-`
  const fields: [string, string][] = []
  const expected: Generated['expect'] = {}
  let mustRefuse: string | undefined
  // Some posts are all valid, most have a few odd values, some are odd throughout.
  const odd = pick([0, 0, 0.04, 0.08, 0.15, 0.5])
  const kind = (): Kind => (chance(0.04) ? 'missing' : chance(odd) ? 'odd' : 'valid')

  const valid: Record<string, () => string> = {
    title: () => {
      expected.title = text()
      return JSON.stringify(expected.title)
    },
    date: () => {
      expected.date = isoDate()
      return expected.date
    },
    updated: () => {
      expected.updated = isoDate()
      return JSON.stringify(expected.updated)
    },
    author: () => {
      expected.author = text()
      return JSON.stringify(expected.author)
    },
    from: () => `https://source.example/${i}/${encodeURIComponent(text())}`,
    tags: () => {
      const tags = [...new Set(Array.from({ length: 1 + int(3) }, () => `t${int(20)}`))]
      expected.tags = tags
      return `[${tags.join(', ')}]`
    },
    categories: () => `[${text().replace(/[[\]{},:"'#&*!|>%@`]/g, '')}]`,
    comments: () => pick(['true', 'false', 'True']),
    layout: () => 'post',
    slug: () => JSON.stringify(`${text()} ${i}`),
    permalink: () => `/p/${i}/`,
    draft: () => (chance(0.1) ? 'true' : 'false'),
    description: () => JSON.stringify(text()),
    image: () =>
      pick([
        'https://img.example/a.jpg',
        '"/relative.png"',
        'javascript:alert(1)',
        'data:image/png;base64,iVBORw0KGgo=',
      ]),
  }
  for (const key of Object.keys(valid).sort(() => next() - 0.5)) {
    const k = kind()
    if (k === 'missing') continue
    if (k === 'valid') fields.push([key, valid[key]()])
    else {
      fields.push([key, oddValue()])
      if (key in expected) delete expected[key as keyof Generated['expect']]
      if (key === 'date' && fields.at(-1)?.[1].startsWith('[')) mustRefuse = 'a list as date'
    }
  }
  if (chance(0.05)) fields.push(['__proto__', '{ title: inherited, polluted: yes }'])
  if (chance(0.05)) fields.push(['<<', '{ title: merged }'])
  if (chance(0.03)) fields.push([pick(fields.map(([k]) => k).concat('title')), '"duplicate"'])

  const front = fields.map(([key, value]) => `${key}: ${value}`).join('\n')
  const language = chance(0.06) ? pick(['yaml', ' YML', 'js', 'javascript', ' JS', 'json', 'coffee', 'toml']) : ''
  if (!/^$|^ ?ya?ml$/i.test(language)) mustRefuse = `front matter in ${language}`
  const parts = [Buffer.from(`${chance(0.02) ? '\uFEFF' : ''}---${language}\n${front}\n---\n`), ...body()]
  if (chance(0.04)) {
    parts.splice(
      1 + int(parts.length - 1),
      0,
      Buffer.from(pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88]])),
    )
    mustRefuse = 'invalid UTF-8'
  }

  let date = (expected.date ?? isoDate()).slice(0, 10)
  // Without a date in front matter a post is refused, or (as Jekyll does) dated by its file name.
  if (!fields.some(([key]) => key === 'date')) expected.date = `${date}T00:00:00.000Z`
  if (chance(0.03)) {
    date = pick(['0000-01-01', '2024-02-30', '2023-13-01'])
    mustRefuse = 'a bad date in the file name'
  }
  const title = chance(0.1)
    ? `t${pick(['\n', '\t', '\u001b[2K', '\u2028', '\u202e', '"', '\\'])}t`
    : text().replace(/\//g, ' ')
  return { name: `${date}${token}${title}.md`, token, source: Buffer.concat(parts), expect: expected, mustRefuse }
}

const FRAGMENTS = [
  () => `<p>${text()}</p>`,
  () => text(),
  () => '<div><p>unclosed <b>bold <i>italic <table><tr><td>cell',
  () => '<script>alert(1)</script>',
  () => '<img src=x onerror=alert(1)>',
  () => '<a href="javascript:alert(1)">link</a>',
  () => '<a href="  java\tscript:alert(1)">tabbed</a>',
  () => '<iframe src="https://evil.example/"></iframe>',
  () => '<iframe src="https://www.youtube.com/embed/x"></iframe>',
  () => '<svg><script>alert(1)</script></svg>',
  () => '<math><mi><mglyph><style></math><img src onerror=alert(1)>',
  () => '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  () => '<style>@import url(//evil.example/x.css)</style>',
  () => '<!-- comment --!><img src=x onerror=alert(1)>-->',
  () => '<template><img src=x onerror=alert(1)></template>',
  () => '<form action="https://evil.example/"><input name=x><button>go</button></form>',
  () => '<base href="//evil.example/"><meta http-equiv="refresh" content="0;url=//evil.example/">',
  () => '<object data="x.swf"></object><embed src="x.swf">',
  () => '<video poster="javascript:alert(1)" src="https://v.example/x.mp4"></video>',
  () => '<img srcset="javascript:alert(1) 1x, https://img.example/b.jpg 2x">',
  () => '<p style="background:url(javascript:alert(1))">styled</p>',
  () => '<img src="data:image/svg+xml,<svg onload=alert(1)>"><img src="data:image/png;base64,iVBORw0KGgo=">',
  () => '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
  () => `${'<div>'.repeat(1 + int(2000))}deep${'</div>'.repeat(int(3))}`,
  () => `${'<b>'.repeat(1 + int(500))}bold`,
  () => '</body></html><p>after the end</p><html><body>',
  () => `# ${text()}\n\n[md link](javascript:alert(1)) ![md image](javascript:alert(2)) <http://auto.example/>`,
  () => `> ${text()}\n\n* item\n* [x](https://ok.example/)\n\n\`code <script>\``,
  () =>
    Array.from({ length: 1 + int(20) }, () =>
      String.fromCharCode(pick([0, 1, 7, 8, 11, 12, 27, 127, 0x85, 0x9f])),
    ).join(''),
  () => '\u2028\u2029\ufeff\u202e\u200b',
  () => '<p>&lt;script&gt;alert(1)&lt;/script&gt; &#x3C;img src=x onerror=alert(1)&#x3E;</p>',
  () => `<a href="https://source.example/${int(POSTS)}/">a link to another mirrored story</a>`,
]

function body(): Buffer[] {
  return Array.from({ length: 1 + int(6) }, () => Buffer.from(`${pick(FRAGMENTS)()}\n`))
}

/** Every file under `dir` with its bytes, to see that a failed build changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    try {
      out[name] = readFileSync(join(dir, name), 'base64')
    } catch {
      out[name] = 'folder'
    }
  }
  return out
}

const ISO = /^(\d{4})-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const isText = (value: unknown) => typeof value === 'string' && value.length > 0
const optionalText = (value: unknown) => value === undefined || isText(value)
const httpUrl = (value: unknown) =>
  typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)

describe('build fuzz', () => {
  it(`publishes each generated post correctly or refuses it by name, never crashes, never leaves a partial output (seed ${SEED})`, async () => {
    console.log(`build fuzz: seed ${SEED} (FUZZ_SEED=${SEED} repeats this run)`)
    const posts = Array.from({ length: POSTS }, (_, i) => generatePost(i))
    const content = mkdtempSync(join(tmpdir(), 'fuzz-content-'))
    mkdirSync(join(content, 'posts'))
    for (const post of posts) writeFileSync(join(content, 'posts', post.name), post.source)
    const out = join(content, 'out')
    // Both builds share a build cache of their own: the second reads every post from it.
    const env = { BUILD_CACHE_DIR: mkdtempSync(join(tmpdir(), 'fuzz-cache-')) }
    const seed = `seed ${SEED}`

    // A previous build's output, which a failed build must leave exactly as it is.
    mkdirSync(join(out, 'kv'), { recursive: true })
    writeFileSync(join(out, 'manifest.json'), '[]\n')
    writeFileSync(join(out, 'kv', 'bulk-0001.json'), '[{"key":"previous","value":"build"}]')
    const before = snapshot(out)
    let started = performance.now()
    const failed = await runBuildCli(content, [], { env })
    console.log(`build fuzz: first build ${((performance.now() - started) / 1000).toFixed(1)} s`)
    started = performance.now()
    expect(failed.code, `${seed}: ${failed.stderr.slice(-2000)}`).toBe(1)
    expect(snapshot(out), seed).toEqual(before)

    const { code, stdout, stderr } = await runBuildCli(content, ['--skip-invalid'], { env })
    console.log(`build fuzz: second build ${((performance.now() - started) / 1000).toFixed(1)} s`)
    expect(code, `${seed}: ${stderr.slice(-2000)}`).toBe(0)
    // No stack trace, no unexpected output: every line is one of the build's own.
    for (const line of stderr.split('\n').filter(Boolean))
      expect(line, seed).toMatch(/^(error: |warning: |skipped \d+ invalid post| {2}["/]|\d+ invalid post)/)
    for (const line of stdout.split('\n').filter(Boolean)) expect(line, seed).toMatch(/^(skipped |built )/)

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      file: string
      slug: string
      url: string
      hash: string
    }[]
    const bulkFiles = readdirSync(join(out, 'kv')).sort()
    const entries = bulkFiles.flatMap((f) => JSON.parse(readFileSync(join(out, 'kv', f), 'utf8')) as KvEntry[])
    const values = new Map(entries.map((e) => [e.key, e.value]))
    expect(values.size, `${seed}: keys are unique`).toBe(entries.length)
    for (const key of values.keys()) expect(Buffer.byteLength(key), key).toBeLessThanOrEqual(KV_MAX_KEY_BYTES)
    expect(bulkFiles, seed).toEqual(bulkFiles.map((_, i) => `bulk-${String(i + 1).padStart(4, '0')}.json`))

    // The manifest and the bulk files agree: each row's post is there with its hash, and nothing else is.
    const postKeys = [...values.keys()].filter((key) => key.startsWith('post:'))
    expect(postKeys.sort(), seed).toEqual(manifest.map((row) => `post:${row.slug}`).sort())
    for (const key of values.keys()) {
      const year = /(?:^|:)year:(.*)$/.exec(key)?.[1]
      if (year) expect(year, key).toMatch(/^[1-9]\d{3}$/)
    }

    const errors = stderr.split('\n').filter((line) => line.startsWith('error: '))
    const skipped = stdout.split('\n').filter((line) => line.startsWith('skipped '))
    const outcomes = { published: 0, refused: 0, draft: 0 }
    for (const post of posts) {
      const where = `${seed}: ${JSON.stringify(post.name)}`
      const row = manifest.find((r) => r.file.includes(post.token))
      const refused = errors.filter((line) => line.includes(post.token))
      const draft = skipped.some((line) => line.includes(post.token) && line.endsWith('(draft)'))
      expect([Boolean(row), refused.length > 0, draft].filter(Boolean), `${where} has one outcome`).toHaveLength(1)
      for (const line of refused) expect(line, where).toMatch(/^error: "?\/.*\.md"?(:\d+)?: \S/)
      if (post.mustRefuse) expect(row, `${where} must be refused: ${post.mustRefuse}`).toBeUndefined()
      if (!row) {
        outcomes[draft ? 'draft' : 'refused']++
        continue
      }
      outcomes.published++
      const stored = JSON.parse(values.get(`post:${row.slug}`) as string) as StoredPost
      expect(stored.hash, where).toBe(row.hash)
      expect(isText(stored.title), where).toBe(true)
      expect(stored.title, where).not.toBe('inherited')
      if (post.expect.title !== undefined) expect(stored.title, where).toBe(post.expect.title)
      expect(ISO.exec(stored.date)?.[1], where).toMatch(/^[1-9]\d{3}$/)
      if (post.expect.date !== undefined) expect(stored.date, where).toBe(post.expect.date)
      if (stored.updated !== undefined) expect(stored.updated, where).toMatch(ISO)
      if (post.expect.updated !== undefined) expect(stored.updated, where).toBe(post.expect.updated)
      if (post.expect.author !== undefined) expect(stored.author, where).toBe(post.expect.author)
      if (post.expect.tags !== undefined) expect(stored.tags, where).toEqual(post.expect.tags)
      for (const list of [stored.tags, stored.categories]) {
        expect(Array.isArray(list) && list.every(isText), where).toBe(true)
        expect(new Set(list).size, where).toBe(list.length)
      }
      expect(typeof stored.comments, where).toBe('boolean')
      for (const field of [stored.author, stored.description, stored.image, stored.layout])
        expect(optionalText(field), where).toBe(true)
      if (stored.from !== undefined) expect(httpUrl(stored.from), `${where}: ${stored.from}`).toBe(true)
      // As the schema says: a relative or data: `image` is dropped (with a warning), not signed for the proxy.
      if (stored.leadImage !== undefined) expect(httpUrl(stored.leadImage), `${where}: ${stored.leadImage}`).toBe(true)
      if (stored.image !== undefined) expect(httpUrl(stored.image), `${where}: ${stored.image}`).toBe(true)
      expect(stored.url, where).toMatch(/^\/[1-9]\d{3}\/\d{2}\/\d{2}\/[^/]+\/$/)
      expect(stored.url, where).toBe(row.url)
      expect(bodyProblems(stored.html), where).toEqual([])
    }
    console.log(`build fuzz: ${JSON.stringify(outcomes)}`)
    expect(outcomes.published, `${seed}: the fuzz publishes some posts`).toBeGreaterThan(POSTS / 10)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
