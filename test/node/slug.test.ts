import { describe, expect, it } from 'vitest'
import { assignUniqueSlugs, parseJekyllName, slugify } from '../../src/builder/slugs.ts'
import { KV_MAX_KEY_BYTES, keys, postPath } from '../../src/shared/schema.ts'
import { corpusDir, fixturesDir, postFiles, withoutSharedCorpus } from '../support/corpus.ts'

describe('slugify', () => {
  it('keeps CJK letters and folds punctuation, spaces and URL delimiters into hyphens', () => {
    expect(slugify('【G20】王毅谈习拜会：有利推动两国关系重回健康正轨')).toBe(
      'g20-王毅谈习拜会-有利推动两国关系重回健康正轨',
    )
    expect(slugify('What? #1 [draft] 100% sure')).toBe('what-1-draft-100-sure')
    expect(slugify('ＦＵＬＬ－ｗｉｄｔｈ　１２３')).toBe('full-width-123')
  })

  it('cuts long titles below the KV key limit, keeping cut slugs distinct', () => {
    const long = '很长的标题'.repeat(200)
    const a = slugify(long)
    const b = slugify(`${long}不同`)
    expect(a).not.toBe(b)
    expect(new TextEncoder().encode(keys.post(`2022-01-01-${a}`)).length).toBeLessThan(KV_MAX_KEY_BYTES)
  })

  /** Every file name of `dir` makes a valid, short key and a path that survives URL parsing unchanged. */
  function expectValidSlugs(dir: string) {
    for (const name of postFiles(dir)) {
      const parts = parseJekyllName(name)
      expect(parts, name).not.toBeNull()
      const slug = `${parts!.date}-${slugify(parts!.title)}`
      expect(new TextEncoder().encode(keys.post(slug)).length, name).toBeLessThan(KV_MAX_KEY_BYTES)
      const path = postPath(slug)
      // A valid path survives URL parsing unchanged: nothing left to percent-encode, no `?` or `#`.
      expect(new URL(path, 'https://example.org').pathname, name).toBe(path)
    }
  }

  it('gives every fixture file name a valid, short key and a valid URL', () => expectValidSlugs(fixturesDir))

  it.skipIf(withoutSharedCorpus('slugs of every shared corpus file name'))(
    'gives every shared corpus file name a valid, short key and a valid URL',
    () => expectValidSlugs(corpusDir),
  )
})

describe('assignUniqueSlugs', () => {
  it('keeps the slug for the first file name and suffixes the others stably', () => {
    const claims = [
      { file: 'b.md', slug: '2020-01-01-x' },
      { file: 'a.md', slug: '2020-01-01-x' },
      { file: 'c.md', slug: '2020-01-01-y' },
    ]
    const first = assignUniqueSlugs(claims)
    expect(first.slugs.get('a.md')).toBe('2020-01-01-x')
    expect(first.slugs.get('b.md')).toMatch(/^2020-01-01-x-[0-9a-f]{6}$/)
    expect(first.collisions).toEqual([{ slug: '2020-01-01-x', files: ['a.md', 'b.md'] }])
    // Same answer whatever the order of the input.
    expect(assignUniqueSlugs([...claims].reverse()).slugs).toEqual(first.slugs)
  })
})
