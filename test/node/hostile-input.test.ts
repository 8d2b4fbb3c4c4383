/**
 * Post files and their names come from third-party sites through a bot: each
 * probe here is what an attacker could put in content/, and the test pins what
 * the build must do with it (see docs/threat-model.md).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSite, type SiteBuild } from '../../src/builder/site.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { buildCli, runBuildCli } from '../support/build-cli.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'
import { bodyProblems } from '../support/render-safety.ts'

const build = (dir: string) => buildSite(dir, { cacheDir: false, threads: 1 })

/** `file:line: message` of every error, keyed by the file's base name. */
function errorsByFile(site: SiteBuild): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const error of site.errors) {
    const name = error.file.split('/').pop() as string
    out[name] ??= []
    out[name].push(`${error.line ?? '-'}: ${error.message}`)
  }
  return out
}

const publishedFiles = (site: SiteBuild) => site.posts.map((p) => p.file.split('/').pop()).sort()
const storedPost = (site: SiteBuild, name: string) => site.posts.find((p) => p.file.endsWith(`/${name}`)) as StoredPost

/** A folder code would write into if the build ran any of a post's front matter. */
const sentinelDir = () => mkdtempSync(join(tmpdir(), 'pwned-'))

/** The issue's probe: JavaScript front matter that writes a file when evaluated. */
const jsAttack = (sentinel: string) =>
  `{ title: (require('fs').writeFileSync(${JSON.stringify(sentinel)}, 'x'), 't'), date: '2024-01-01' }`

describe('front matter in a language other than YAML', () => {
  it('refuses ---js with file:line, exits 1 and runs none of it (the CLI, as the publisher runs it)', async () => {
    const sentinels = sentinelDir()
    const sentinel = join(sentinels, 'PWNED')
    const dir = contentFolder({
      '2024-01-01-ok.md': postSource(validFields),
      '2024-01-02-js.md': `---js\n${jsAttack(sentinel)}\n---\nbody\n`,
    })
    const { code, stderr, out } = await buildCli(dir)
    expect(existsSync(sentinel)).toBe(false)
    expect(code).toBe(1)
    expect(stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      expect.stringMatching(/^error: \S*\/posts\/2024-01-02-js\.md:1: front matter language "js" is not allowed$/),
    ])
    expect(existsSync(out)).toBe(false)
  })

  it('refuses every spelling of a non-YAML language before any of the front matter is read', async () => {
    const sentinels = sentinelDir()
    const variants: [name: string, opening: string, language: string, newline?: string][] = [
      ['javascript', '---javascript', 'javascript'],
      ['space', '--- js', 'js'],
      ['upper', '---JS', 'JS'],
      ['mixed', '---JavaScript  ', 'JavaScript'],
      ['crlf', '---js', 'js', '\r\n'],
      ['coffee', '---coffee', 'coffee'],
      ['cson', '---cson', 'cson'],
      ['toml', '---toml', 'toml'],
      // Names gray-matter would look up on its engines object's prototype chain.
      ['constructor', '---constructor', 'constructor'],
      ['proto', '---__proto__', '__proto__'],
      ['tostring', '---toString', 'toString'],
      // gray-matter strips a byte order mark before it looks for `---`, and so must the check.
      ['bom', '\uFEFF---js', 'js'],
      ['two-boms', '\uFEFF\uFEFF---js', 'js'],
      ['tab', '---\tjs', 'js'],
    ]
    const files: Record<string, string> = {}
    for (const [name, opening, , newline = '\n'] of variants) {
      const sentinel = join(sentinels, name)
      files[`2024-01-01-${name}.md`] = [opening, jsAttack(sentinel), '---', 'body', ''].join(newline)
    }
    // No newline at all: gray-matter would take the whole file but its last character as the language.
    files['2024-01-01-one-line.md'] = `---js ${jsAttack(join(sentinels, 'one-line'))}`
    const site = await build(contentFolder(files))

    expect(readdirSync(sentinels)).toEqual([])
    expect(site.posts).toEqual([])
    const errors = errorsByFile(site)
    for (const [name, , language] of variants)
      expect(errors[`2024-01-01-${name}.md`], name).toEqual([`1: front matter language "${language}" is not allowed`])
    expect(errors['2024-01-01-one-line.md']).toEqual([
      expect.stringMatching(/^1: front matter language "js \{ title: \(require.*" is not allowed$/),
    ])
  })

  it('refuses ---json, which Jekyll does not read either, and says that JSON after a plain --- works', async () => {
    const json = '{ "title": "From JSON", "date": "2024-01-01T00:00:00Z" }'
    const site = await build(
      contentFolder({
        '2024-01-01-json.md': `---json\n${json}\n---\nbody\n`,
        '2024-01-02-plain.md': `---\n${json}\n---\nbody\n`,
      }),
    )
    expect(errorsByFile(site)['2024-01-01-json.md']).toEqual([
      '1: front matter language "json" is not allowed (YAML reads JSON: start the front matter with a plain ---)',
    ])
    expect(storedPost(site, '2024-01-02-plain.md').title).toBe('From JSON')
  })

  it('reads YAML however the opening line names it', async () => {
    const fields = 'title: Named YAML\ndate: 2024-01-01T00:00:00Z'
    const site = await build(
      contentFolder({
        '2024-01-01-yaml.md': `---yaml\n${fields}\n---\nbody\n`,
        '2024-01-02-yml.md': `--- YML \n${fields}\n---\nbody\n`,
        '2024-01-03-plain.md': `---\n${fields}\n---\nbody\n`,
      }),
    )
    expect(site.errors).toEqual([])
    expect(site.posts.map((p) => p.title)).toEqual(['Named YAML', 'Named YAML', 'Named YAML'])
  })
})

describe('YAML front matter', () => {
  it('is read with the safe schema: JavaScript and other language tags are refused with their line', async () => {
    const sentinels = sentinelDir()
    const fn = `"function () { require('fs').writeFileSync(${JSON.stringify(join(sentinels, 'fn'))}, 'x') }"`
    const tagged = (value: string) => postSource({ ...validFields, title: value })
    const site = await build(
      contentFolder({
        '2024-01-01-function.md': tagged(`!!js/function ${fn}`),
        '2024-01-02-verbatim.md': tagged(`!<tag:yaml.org,2002:js/function> ${fn}`),
        '2024-01-03-undefined.md': tagged('!!js/undefined ""'),
        '2024-01-04-regexp.md': tagged('!!js/regexp /x/'),
        '2024-01-05-python.md': tagged('!!python/object/apply:os.system ["touch /tmp/x"]'),
      }),
    )
    expect(readdirSync(sentinels)).toEqual([])
    expect(site.posts).toEqual([])
    const errors = errorsByFile(site)
    for (const name of Object.keys(errors))
      expect(errors[name], name).toEqual([expect.stringMatching(/^3: front matter is not valid YAML: unknown tag/)])
    expect(Object.keys(errors)).toHaveLength(5)
  })

  it('survives an alias bomb aimed at every key and half a million blank lines, in seconds (the CLI, killed if it hangs)', async () => {
    // Ten levels of nine aliases: 9^10 ≈ 3.5 billion leaves if anything walks or prints the value.
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let level = 1; level < 10; level++) {
      const [name, below] = [String.fromCharCode(97 + level), String.fromCharCode(96 + level)]
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${below}`).join(', ')}]`)
    }
    const keys = ['title', 'date', 'updated', 'author', 'from', 'tags', 'categories', 'comments', 'layout']
    const more = ['slug', 'permalink', 'draft', 'description', 'image']
    const files: Record<string, string> = {}
    for (const key of [...keys, ...more]) {
      const fields = { ...validFields, [key]: '*j' }
      files[`2024-01-01-bomb-${key}.md`] = `---\n${bomb.join('\n')}\n${Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}\n---\nbody\n`
    }
    // gray-matter tested front matter for emptiness with a regex quadratic in blank lines (40,000: 5 s).
    files['2024-01-02-blank-lines.md'] = postSource({ ...validFields, layout: `post${'\n'.repeat(500_000)}` })
    const started = performance.now()
    const { code, stderr, out } = await runBuildCli(contentFolder(files), ['--skip-invalid'], { timeout: 60_000 })
    expect(code, stderr).toBe(0)
    expect(performance.now() - started).toBeLessThan(60_000)
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { file: string; title: string }[]
    const errorLines = stderr.split('\n').filter((l) => l.startsWith('error: '))
    for (const key of [...keys, ...more]) {
      const name = `2024-01-01-bomb-${key}.md`
      const published = manifest.some((row) => row.file.endsWith(`/${name}`))
      const refused = errorLines.filter((l) => l.includes(`/${name}`))
      expect(published !== refused.length > 0, `${name} is either published or refused`).toBe(true)
    }
    // Required keys cannot be a list of lists; every error line stays short.
    expect(errorLines.some((l) => l.includes('bomb-date.md:'))).toBe(true)
    for (const line of errorLines) expect(line.length).toBeLessThan(400)
    for (const row of manifest) expect(typeof row.title).toBe('string')
    expect(manifest.some((row) => row.file.endsWith('/2024-01-02-blank-lines.md'))).toBe(true)
  })

  it('keeps __proto__ and other prototype names as plain keys: no pollution, no inherited fields', async () => {
    const site = await build(
      contentFolder({
        '2024-01-01-proto.md': postSource({ ...validFields, ['__proto__']: '{ polluted: yes, title: inherited }' }),
        '2024-01-02-proto-only.md': postSource({ date: validFields.date, ['__proto__']: '{ title: inherited }' }),
        '2024-01-03-merge.md': postSource({ ...validFields, '<<': '{ __proto__: { polluted: yes } }' }),
        '2024-01-04-flow.md': `---\n{ "__proto__": { "title": "inherited" }, "date": "2024-01-01T00:00:00Z" }\n---\nx\n`,
        '2024-01-05-names.md': postSource({ ...validFields, constructor: 'x', toString: 'x', hasOwnProperty: 'x' }),
      }),
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(publishedFiles(site)).toEqual(
      expect.arrayContaining(['2024-01-01-proto.md', '2024-01-03-merge.md', '2024-01-05-names.md']),
    )
    expect(storedPost(site, '2024-01-01-proto.md').title).toBe('A valid post')
    // A title only under __proto__ is no title: refused, or published with a fallback, never "inherited".
    expect(site.posts.map((p) => p.title)).not.toContain('inherited')
  })

  it('refuses a 30 MB front matter without parsing it, in one short line', async () => {
    const huge = 'a'.repeat(30 * 1024 * 1024)
    const started = performance.now()
    const site = await build(
      contentFolder({
        '2024-01-01-title.md': postSource({ ...validFields, title: huge }),
        '2024-01-02-unclosed.md': `---\ntitle: x\n${huge}\n`,
      }),
    )
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(site.posts).toEqual([])
    expect(errorsByFile(site)).toEqual({
      '2024-01-01-title.md': ['-: front matter is over 1 MiB'],
      '2024-01-02-unclosed.md': ['-: front matter is over 1 MiB (no closing --- line)'],
    })
  })

  it('quotes at most 80 characters of a bad value in its message', async () => {
    const long = 'a'.repeat(500_000)
    const site = await build(
      contentFolder({
        '2024-01-01-date.md': postSource({ ...validFields, date: long }),
        '2024-01-02-from.md': postSource({ ...validFields, from: long }),
        '2024-01-03-slug.md': postSource({ ...validFields, slug: `"${'-'.repeat(500_000)}"` }),
      }),
    )
    expect(errorsByFile(site)).toEqual({
      '2024-01-01-date.md': [`4: invalid date: ${'a'.repeat(80)}…`],
      '2024-01-02-from.md': [`6: from is not an absolute URL: ${'a'.repeat(80)}…`],
      '2024-01-03-slug.md': [`9: slug has no letters or digits: ${'-'.repeat(80)}…`],
    })
  })

  it('refuses 100,000-deep front matter and publishes a 100,000-deep body flattened and safe', async () => {
    const site = await build(
      contentFolder({
        '2024-01-01-deep-yaml.md': postSource({ ...validFields, tags: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }),
        '2024-01-02-deep-map.md': postSource({
          ...validFields,
          tags: `${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}`,
        }),
        '2024-01-03-deep-body.md': postSource(
          validFields,
          `${'<div>'.repeat(100_000)}deep text${'</div>'.repeat(3)}\n`,
        ),
        '2024-01-04-deep-quote.md': postSource(validFields, `${'> '.repeat(100_000)}deep quote\n\nafter\n`),
      }),
    )
    const errors = errorsByFile(site)
    expect(errors['2024-01-01-deep-yaml.md']).toEqual([expect.stringMatching(/front matter is nested too deeply$/)])
    expect(errors['2024-01-02-deep-map.md']).toEqual([expect.stringMatching(/front matter is nested too deeply$/)])
    const body = storedPost(site, '2024-01-03-deep-body.md').html
    expect(bodyProblems(body)).toEqual([])
    expect(body).toBe('<div>deep text</div>')
    // markdown-it stops nesting at 20 levels and drops what is deeper; the rest of the post stays.
    const quote = storedPost(site, '2024-01-04-deep-quote.md').html
    expect(bodyProblems(quote)).toEqual([])
    expect(quote).toMatch(/<p>after<\/p>$/)
  })

  it('refuses invalid UTF-8 in the front matter with its line', async () => {
    const site = await build(
      contentFolder({
        '2024-01-01-bytes.md': Buffer.concat([
          Buffer.from('---\nlayout: post\ntitle: "'),
          Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80]),
          Buffer.from(`"\ndate: ${validFields.date}\n---\nbody\n`),
        ]),
      }),
    )
    expect(errorsByFile(site)['2024-01-01-bytes.md']).toEqual(['3: invalid UTF-8'])
  })
})

describe('values that become URLs or keys', () => {
  it('uses only an absolute http(s) image as the lead image; drops a path or a data: URL with a warning and its line', async () => {
    const site = await build(
      contentFolder({
        '2024-01-01-http.md': postSource({ ...validFields, image: 'https://img.example/a.jpg' }),
        '2024-01-02-path.md': postSource({ ...validFields, image: '/relative.png' }),
        '2024-01-03-data.md': postSource({ ...validFields, image: 'data:image/png;base64,iVBORw0KGgo=' }),
        '2024-01-04-bare.md': postSource({ ...validFields, image: 'img/a.jpg' }),
      }),
    )
    expect(site.errors).toEqual([])
    expect(storedPost(site, '2024-01-01-http.md').leadImage).toBe('https://img.example/a.jpg')
    for (const name of ['2024-01-02-path.md', '2024-01-03-data.md', '2024-01-04-bare.md']) {
      expect(storedPost(site, name).leadImage, name).toBeUndefined()
      expect(storedPost(site, name).image, name).toBeUndefined()
    }
    expect(site.warnings.map((w) => `${w.file.split('/').pop()}:${w.line}: ${w.message}`)).toEqual([
      '2024-01-02-path.md:9: image is not an absolute http(s) URL, so not used: /relative.png',
      '2024-01-03-data.md:9: image is not an absolute http(s) URL, so not used: data:image/png;base64,iVBORw0KGgo=',
      '2024-01-04-bare.md:9: image is not an absolute http(s) URL, so not used: img/a.jpg',
    ])
  })

  it('refuses a tag or category too long for its listing key, with its line', async () => {
    const long = 'a'.repeat(201)
    const site = await build(
      contentFolder({
        '2024-01-01-tag.md': postSource({ ...validFields, tags: `[ ok, ${long} ]` }),
        '2024-01-02-category.md': postSource({ ...validFields, categories: `${'长'.repeat(67)} short` }),
        '2024-01-03-fits.md': postSource({ ...validFields, tags: `[ ${'a'.repeat(200)}, ${'长'.repeat(66)} ]` }),
      }),
    )
    expect(errorsByFile(site)).toEqual({
      '2024-01-01-tag.md': [`7: tag is longer than 200 bytes: ${'a'.repeat(80)}…`],
      '2024-01-02-category.md': [`8: category is longer than 200 bytes: ${'长'.repeat(67)}`],
    })
    expect(publishedFiles(site)).toEqual(['2024-01-03-fits.md'])
  })
})

describe('dates', () => {
  it('accepts years 1000 to 9999 only, real calendar days only, in date, updated and the file name', async () => {
    const post = (date: string, extra: Record<string, string> = {}) => postSource({ ...validFields, date, ...extra })
    const site = await build(
      contentFolder({
        '2024-01-01-plus.md': post('+010000-01-01T00:00:00Z'),
        '2024-01-02-negative.md': post('-000001-01-01T00:00:00Z'),
        '2024-01-03-zero.md': post('0000-01-01T00:00:00Z'),
        '2024-01-04-zero-quoted.md': post('"0000-01-01T00:00:00Z"'),
        '2024-01-05-ninety-nine.md': post('0099-12-31'),
        '2024-01-06-999.md': post('0999-12-31T23:59:59Z'),
        '2024-01-07-five-digits.md': post('10000-01-01'),
        '2024-01-08-rollover.md': post('2024-02-30'),
        '2024-01-09-month.md': post('2024-13-01T00:00:00Z'),
        '2024-01-10-legacy.md': post('Jan 1 0000'),
        '2024-01-11-shifted.md': post('1000-01-01T00:30:00+01:00'),
        '2024-01-12-updated.md': post(validFields.date, { updated: '0000-01-01' }),
        '2024-01-13-list.md': post('[2024-01-01]'),
        '0000-01-01-name-zero.md': post(validFields.date),
        '2024-02-30-name-rollover.md': post(validFields.date),
        '1000-01-01-first.md': post('1000-01-01T00:00:00Z'),
        '9999-12-31-last.md': post('9999-12-31T23:59:59.999Z', { updated: '9999-12-31' }),
        '2024-02-29-leap.md': post('2024-02-29'),
        '2024-03-01-jekyll.md': post('2022-11-15 08:45:00 +0800'),
        '2024-03-02-no-zone.md': post('"2022-11-15 08:45:00"'),
        '2024-03-03-short.md': post('2022-11-15T08:45Z'),
      }),
    )
    const errors = errorsByFile(site)
    const years = '(the year must be 1000 to 9999)'
    expect(errors).toEqual({
      '2024-01-01-plus.md': [`4: invalid date: +010000-01-01T00:00:00Z ${years}`],
      '2024-01-02-negative.md': [`4: invalid date: -000001-01-01T00:00:00Z ${years}`],
      '2024-01-03-zero.md': [`4: invalid date: 0000-01-01T00:00:00Z ${years}`],
      '2024-01-04-zero-quoted.md': [`4: invalid date: 0000-01-01T00:00:00Z ${years}`],
      '2024-01-05-ninety-nine.md': [`4: invalid date: 0099-12-31 ${years}`],
      '2024-01-06-999.md': [`4: invalid date: 0999-12-31T23:59:59Z ${years}`],
      '2024-01-07-five-digits.md': [`4: invalid date: 10000-01-01 ${years}`],
      '2024-01-08-rollover.md': ['4: invalid date: 2024-02-30 (no such day)'],
      '2024-01-09-month.md': ['4: invalid date: 2024-13-01T00:00:00Z (no such day)'],
      '2024-01-10-legacy.md': ['4: invalid date: Jan 1 0000'],
      '2024-01-11-shifted.md': [`4: invalid date: 1000-01-01T00:30:00+01:00 ${years}`],
      '2024-01-12-updated.md': [`9: invalid updated date: 0000-01-01 ${years}`],
      '2024-01-13-list.md': ['4: invalid date: a list'],
      '0000-01-01-name-zero.md': [`-: the date in the file name, 0000-01-01, is not a date ${years}`],
      '2024-02-30-name-rollover.md': ['-: the date in the file name, 2024-02-30, is not a date (no such day)'],
    })
    const dates = Object.fromEntries(site.posts.map((p) => [p.file.split('/').pop(), [p.date, p.updated]]))
    expect(dates).toEqual({
      '1000-01-01-first.md': ['1000-01-01T00:00:00.000Z', undefined],
      '9999-12-31-last.md': ['9999-12-31T23:59:59.999Z', '9999-12-31T00:00:00.000Z'],
      '2024-02-29-leap.md': ['2024-02-29T00:00:00.000Z', undefined],
      '2024-03-01-jekyll.md': ['2022-11-15T00:45:00.000Z', undefined],
      // A date without a zone is UTC, as YAML says, whatever the build machine's zone.
      '2024-03-02-no-zone.md': ['2022-11-15T08:45:00.000Z', undefined],
      '2024-03-03-short.md': ['2022-11-15T08:45:00.000Z', undefined],
    })
    const yearKeys = site.entries.map((e) => e.key).filter((key) => key.includes('year:'))
    expect(yearKeys.sort()).toEqual(['list:year:1000', 'list:year:2024', 'list:year:9999'])
  })
})

describe('symbolic links in the content folder', () => {
  /** content/posts/ with a post, links of every kind, and a folder outside the content root. */
  function linkedSite() {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'))
    // What a link out could leak: a marker (to search the output for) and this machine's /etc/hostname.
    const secret = `outside-marker-${process.pid}-${Date.now()}`
    const secretPost = postSource(
      { ...validFields, title: '"Outside"' },
      `<p>${secret} ${readFileSync('/etc/hostname', 'utf8')}</p>\n`,
    )
    writeFileSync(join(outside, 'secret.md'), secretPost)
    mkdirSync(join(outside, 'folder'))
    writeFileSync(join(outside, 'folder', '2024-01-09-in-outside-folder.md'), secretPost)

    const dir = contentFolder({ '2024-01-01-real.md': postSource(validFields) })
    mkdirSync(join(dir, 'elsewhere'))
    writeFileSync(join(dir, 'elsewhere', 'inside.md'), postSource({ ...validFields, title: '"Inside"' }))
    mkdirSync(join(dir, 'elsewhere', 'more'))
    writeFileSync(join(dir, 'elsewhere', 'more', '2024-01-10-in-inside-folder.md'), postSource(validFields))
    const posts = join(dir, 'posts')
    symlinkSync(join(outside, 'secret.md'), join(posts, '2024-01-02-outside.md'))
    symlinkSync('../../../../../../../../../../../../../etc/hostname', join(posts, '2024-01-03-relative.md'))
    symlinkSync(join(outside, 'folder'), join(posts, 'linked-outside'))
    symlinkSync(join(dir, 'elsewhere', 'inside.md'), join(posts, '2024-01-04-inside.md'))
    symlinkSync('../elsewhere/more', join(posts, 'linked-inside'))
    symlinkSync('..', join(posts, 'loop'))
    symlinkSync(join(outside, 'missing.md'), join(posts, '2024-01-05-dangling.md'))
    return { dir, secret }
  }

  it('does not follow a link that leaves the content folder and reports it; follows file links that stay inside', async () => {
    const { dir, secret } = linkedSite()
    const site = await build(dir)
    expect(publishedFiles(site)).toEqual(['2024-01-01-real.md', '2024-01-04-inside.md'])
    expect(storedPost(site, '2024-01-04-inside.md').title).toBe('Inside')
    expect(JSON.stringify(site.entries)).not.toContain(secret)

    const outsideMessage = /^-: is a symbolic link to .+, outside the content folder: not followed$/
    const errors = errorsByFile(site)
    expect(errors).toEqual({
      '2024-01-02-outside.md': [expect.stringMatching(outsideMessage)],
      '2024-01-03-relative.md': [expect.stringMatching(outsideMessage)],
      'linked-outside': [expect.stringMatching(outsideMessage)],
      '2024-01-05-dangling.md': ['-: is a symbolic link to nothing (its target does not exist)'],
    })
    // Folder links inside the content folder are not followed (their posts are read where they are,
    // and a link to a parent folder would loop); each is named in a warning.
    expect(site.warnings.map(String).sort()).toEqual([
      expect.stringMatching(/\/posts\/linked-inside: is a symbolic link to a folder: not followed$/),
      expect.stringMatching(/\/posts\/loop: is a symbolic link to a folder: not followed$/),
    ])
  })

  it('refuses a posts folder that is a link out of the content folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-posts-'))
    writeFileSync(join(outside, '2024-01-01-x.md'), postSource(validFields))
    const dir = mkdtempSync(join(tmpdir(), 'content-'))
    symlinkSync(outside, join(dir, 'posts'))
    const site = await build(dir)
    expect(site.posts).toEqual([])
    expect(site.errors.map(String)).toEqual([
      expect.stringMatching(/\/posts: is a symbolic link to .+, outside the content folder: not followed$/),
    ])
  })

  it('the CLI exits 1 and names each link, or with --skip-invalid publishes the rest', async () => {
    const { dir, secret } = linkedSite()
    const refused = await buildCli(dir)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^error: \S+\/posts\/2024-01-02-outside\.md: is a symbolic link to /m)
    expect(refused.stderr).toMatch(/^warning: \S+\/posts\/loop: is a symbolic link to a folder: not followed$/m)
    const skipped = await buildCli(dir, '--skip-invalid')
    expect(skipped.code).toBe(0)
    const bulk = readFileSync(join(skipped.out, 'kv', 'bulk-0001.json'), 'utf8')
    expect(bulk).not.toContain(secret)
  })
})

describe('file names with control characters', () => {
  it('keeps every error, warning and skipped line on one line and the manifest valid JSON', async () => {
    const names = {
      invalid: '2024-01-01-bad\ndate.md',
      draft: '2024-01-02-draft\r\u001b[2Kdone.md',
      collideA: '2024-01-03-same\u2028title.md',
      collideB: '2024-01-03-same\u202etitle.md',
      tab: '2024-01-04-tab\ttab.md',
    }
    const dir = contentFolder({
      [names.invalid]: postSource({ ...validFields, date: 'nope' }),
      [names.draft]: postSource({ ...validFields, draft: 'true' }),
      [names.collideA]: postSource(validFields),
      [names.collideB]: postSource(validFields),
      [names.tab]: postSource(validFields),
    })
    const { code, stdout, stderr, out } = await buildCli(dir, '--skip-invalid')
    expect(code).toBe(0)
    const lines = `${stdout}${stderr}`.split('\n').filter(Boolean)
    for (const line of lines)
      expect(line).toMatch(/^(error: |warning: |skipped |built | {2}"|\d+ invalid|skipped \d+ invalid)/)
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/)

    const quoted = (name: string) =>
      `"${join(dir, 'posts', name)}"`.replace(/[\n\r\t\u001b\u2028\u202e]/g, (ch) =>
        ch === '\n'
          ? '\\n'
          : ch === '\r'
            ? '\\r'
            : ch === '\t'
              ? '\\t'
              : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
    expect(stderr).toContain(`error: ${quoted(names.invalid)}:4: invalid date: nope\n`)
    expect(stdout).toContain(`skipped ${quoted(names.draft)} (draft)\n`)
    expect(stderr).toContain(
      `; ${quoted(names.collideA)} keeps it, the others get a suffix:\n  ${quoted(names.collideB)}\n`,
    )

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { file: string }[]
    expect(manifest.map((row) => row.file.split('/').pop()).sort()).toEqual(
      [names.collideA, names.collideB, names.tab].sort(),
    )
  })
})
