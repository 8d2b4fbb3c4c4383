import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildCli as build } from '../support/build-cli.ts'
import { contentFolder, postSource, validFields } from '../support/posts.ts'

const good = postSource(validFields)

describe('build CLI', () => {
  it('writes KV bulk files and a manifest with the documented fields', async () => {
    const dir = contentFolder({ '2022-11-15-A valid post?.md': good })
    const { code, stdout, out } = await build(dir)
    expect(code).toBe(0)
    expect(stdout).toMatch(/built 1 posts/)
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest).toHaveLength(1)
    expect(manifest[0]).toMatchObject({
      file: expect.stringMatching(/posts\/2022-11-15-A valid post\?\.md$/),
      slug: '2022-11-15-a-valid-post',
      url: '/2022/11/15/a-valid-post/',
      title: 'A valid post',
      date: '2022-11-15T00:45:00.000Z',
      hash: expect.stringMatching(/^[0-9a-f]{16}$/),
    })
    const bulk = readdirSync(join(out, 'kv'))
    expect(bulk).toEqual(['bulk-0001.json'])
    const entries = JSON.parse(readFileSync(join(out, 'kv', bulk[0]), 'utf8'))
    const post = entries.find((e: { key: string }) => e.key === 'post:2022-11-15-a-valid-post')
    expect(JSON.parse(post.value)).toMatchObject({ title: 'A valid post', hash: manifest[0].hash })
  })

  it('reports every bad post with its file and line, exits non-zero and writes nothing', async () => {
    const dir = contentFolder({
      '2022-01-01-ok.md': good,
      '2022-01-02-no-title.md': postSource({ ...validFields, title: '""' }),
      '2022-01-03-bad-date.md': postSource({ ...validFields, date: 'yesterday' }),
      '2022-01-04-no-date.md': postSource({ layout: 'post', title: 'x' }),
      '2022-01-05-bad-yaml.md': postSource({ ...validFields, tags: '[ unclosed' }),
      '2022-01-06-bad-utf8.md': Buffer.concat([
        Buffer.from(postSource(validFields, 'line one\nline two ')),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('\n'),
      ]),
      '2022-01-07-a.md': postSource({ ...validFields, slug: 'same' }),
      '2022-01-07-b.md': postSource({ ...validFields, slug: 'same' }),
      '2022-01-08-bad-from.md': postSource({ ...validFields, from: 'javascript:alert(1)' }),
    })
    const { code, stderr, out } = await build(dir)
    expect(code).toBe(1)
    const errors = stderr.split('\n').filter((l) => l.startsWith('error: '))
    expect(errors).toEqual([
      expect.stringMatching(/2022-01-02-no-title\.md:3: missing title$/),
      expect.stringMatching(/2022-01-03-bad-date\.md:4: invalid date: yesterday$/),
      expect.stringMatching(/2022-01-04-no-date\.md: missing date$/),
      expect.stringMatching(/2022-01-05-bad-yaml\.md:8: front matter is not valid YAML/),
      expect.stringMatching(/2022-01-06-bad-utf8\.md:11: invalid UTF-8$/),
      expect.stringMatching(/2022-01-07-b\.md: duplicate slug "2022-01-07-same", also used by .*2022-01-07-a\.md$/),
      expect.stringMatching(/2022-01-08-bad-from\.md:6: from must be an http\(s\) URL/),
    ])
    expect(stderr).toMatch(/7 invalid post\(s\); nothing written/)
    expect(existsSync(out)).toBe(false)
  })

  it('with --skip-invalid publishes the valid posts, lists the skipped ones and exits 0', async () => {
    const dir = contentFolder({
      '2022-01-01-ok.md': good,
      '2022-01-02-no-title.md': postSource({ ...validFields, title: '""' }),
      '2022-01-03-draft.md': postSource({ ...validFields, draft: 'true' }),
    })
    const { code, stdout, stderr, out } = await build(dir, '--skip-invalid')
    expect(code).toBe(0)
    expect(stderr).toMatch(/error: .*2022-01-02-no-title\.md:3: missing title/)
    expect(stdout).toMatch(/skipped .*2022-01-03-draft\.md \(draft\)/)
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.map((p: { slug: string }) => p.slug)).toEqual(['2022-01-01-ok'])
  })

  it('decodes HTML entities the mirror bot left in titles and authors', async () => {
    const dir = contentFolder({
      '2022-01-01-entities.md': postSource({
        ...validFields,
        title: '"Q&amp;A: &#8220;x&#8221; &lt;b&gt;"',
        author: 'Dong Lin &#38; Summer Sun &#xD800;',
      }),
    })
    const { code, out } = await build(dir)
    expect(code).toBe(0)
    const entries = JSON.parse(readFileSync(join(out, 'kv', 'bulk-0001.json'), 'utf8'))
    const post = JSON.parse(entries.find((e: { key: string }) => e.key.startsWith('post:')).value)
    expect(post.title).toBe('Q&A: \u201cx\u201d <b>')
    expect(post.author).toBe('Dong Lin & Summer Sun &#xD800;')
  })

  it('refuses a post whose stored value is over the KV value limit', async () => {
    const huge = `<p>${'字'.repeat(9 * 1024 * 1024)}</p>\n`
    const dir = contentFolder({ '2022-01-01-ok.md': good, '2022-01-02-huge.md': postSource(validFields, huge) })
    const { code, stderr } = await build(dir)
    expect(code).toBe(1)
    expect(stderr).toMatch(/error: .*2022-01-02-huge\.md: stored value is \d+ bytes, over KV's limit of 26214400/)
  })

  it('publishes posts whose titles differ only in punctuation under distinct URLs and reports it', async () => {
    const dir = contentFolder({
      '2022-01-01-Hello, world!.md': postSource({ ...validFields, title: 'Hello, world!' }),
      '2022-01-01-Hello world?.md': postSource({ ...validFields, title: 'Hello world?' }),
    })
    const { code, stderr, out } = await build(dir)
    expect(code).toBe(0)
    expect(stderr).toMatch(/warning: 2 posts want the slug "2022-01-01-hello-world"/)
    const urls = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).map((p: { url: string }) => p.url)
    expect(new Set(urls).size).toBe(2)
    expect(urls).toContain('/2022/01/01/hello-world/')
  })
})
