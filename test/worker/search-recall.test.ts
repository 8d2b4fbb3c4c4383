/**
 * Recall of /search over the shared corpus (271 posts) inside workerd, against
 * the real D1 index deploy's statements write: for every query, the posts on
 * all result pages are exactly the posts whose served text contains it, worked
 * out by test/support/search-truth.ts from the stored HTML — never from the
 * index's own tokens or plain text. Each query's clauses are written here by
 * hand, not parsed by the product.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest'
import type { StoredPost } from '../../src/shared/schema.ts'
import {
  type Clause,
  cjk,
  expectedUrls,
  phrase,
  prefix,
  truthFields,
  word,
  wordThenCjk,
} from '../support/search-truth.ts'
import { loadSearch } from './load-site.ts'
import { page } from './worker-requests.ts'

const entries = inject('corpusEntries')
const docs = inject('corpusSearch')
if (!entries || !docs)
  console.log('skipped: search recall over the shared corpus (no ../shared/corpus beside the repo)')

/** Query as typed → what it means. */
const QUERIES: [string, Clause[]][] = [
  // CJK, two characters
  ['香港', [cjk('香港')]],
  ['审查', [cjk('审查')]],
  ['中国', [cjk('中国')]],
  ['新疆', [cjk('新疆')]],
  ['台湾', [cjk('台湾')]],
  ['臺灣', [cjk('臺灣')]],
  ['警察', [cjk('警察')]],
  // three
  ['习近平', [cjk('习近平')]],
  ['共产党', [cjk('共产党')]],
  ['香港人', [cjk('香港人')]],
  ['民主派', [cjk('民主派')]],
  // four and more
  ['中国共产党', [cjk('中国共产党')]],
  ['新冠病毒', [cjk('新冠病毒')]],
  ['国家安全法', [cjk('国家安全法')]],
  ['中华人民共和国', [cjk('中华人民共和国')]],
  // one character: every occurrence
  ['國', [cjk('國')]],
  ['港', [cjk('港')]],
  // several CJK terms: all of them
  ['中国 共产党', [cjk('中国'), cjk('共产党')]],
  // English words, whatever their case
  ['police', [word('police')]],
  ['POLICE', [word('police')]],
  ['china', [word('china')]],
  ['the', [word('the')]],
  ['democracy', [word('democracy')]],
  ['hong kong', [word('hong'), word('kong')]],
  ['hong OR kong', [word('hong'), word('or'), word('kong')]],
  // prefixes
  ['censor*', [prefix('censor')]],
  ['cens*', [prefix('cens')]],
  ['democra*', [prefix('democra')]],
  // phrases
  ['"hong kong"', [phrase('hong', 'kong')]],
  ['"xi jinping"', [phrase('xi', 'jinping')]],
  ['hong-kong', [phrase('hong', 'kong')]],
  ['covid-19', [phrase('covid', '19')]],
  ['u.s.', [phrase('u', 's')]],
  ['ＨＯＮＧ　ＫＯＮＧ', [word('hong'), word('kong')]],
  // mixed scripts
  ['香港 police', [cjk('香港'), word('police')]],
  ['2022年', [wordThenCjk('2022', '年')]],
  ['中国 china', [cjk('中国'), word('china')]],
]

/** Every result link over all pages of a query, following "Next", and the count the first page states. */
async function allResults(query: string) {
  let path: string | null = `/search?${new URLSearchParams({ q: query })}`
  const urls: string[] = []
  let stated = -1
  let pages = 0
  while (path) {
    let { response, document } = await page(path)
    // Another spelling of the same query is sent to its one address.
    if (response.status === 301 || response.status === 308)
      ({ response, document } = await page(response.headers.get('location')!))
    expect(response.status, path).toBe(200)
    const links = [...document.querySelectorAll('ol.results > li > a.title')].map((a) => a.getAttribute('href')!)
    expect(links.length, path).toBeLessThanOrEqual(20)
    if (pages === 0) {
      const status = document.querySelector('main [role="status"]')?.textContent ?? ''
      stated = /^No posts/.test(status) ? 0 : Number(/^([\d,]+) posts?/.exec(status)?.[1].replace(/,/g, '') ?? NaN)
    }
    urls.push(...links)
    pages++
    path = document.querySelector('nav.pages a[rel="next"]')?.getAttribute('href') ?? null
  }
  return { urls, stated, pages }
}

describe.skipIf(!entries || !docs)('search recall over the shared corpus', () => {
  const posts = (entries ?? [])
    .filter((e) => e.key.startsWith('post:'))
    .map((e) => JSON.parse(e.value) as StoredPost)
    .map((post) => ({ url: post.url, fields: truthFields(post) }))

  beforeAll(() => loadSearch(docs!), 120_000)

  it(`finds exactly the posts whose text contains the query, for ${QUERIES.length} queries`, async () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(30)
    const counts: string[] = []
    let withHits = 0
    for (const [query, clauses] of QUERIES) {
      const expected = expectedUrls(posts, clauses)
      const { urls, stated, pages } = await allResults(query)
      expect(new Set(urls).size, `${query}: a post on two pages`).toBe(urls.length)
      expect([...urls].sort(), query).toEqual(expected)
      expect(stated, `${query}: the count stated`).toBe(expected.length)
      expect(pages, query).toBe(Math.max(1, Math.ceil(expected.length / 20)))
      if (expected.length > 0) withHits++
      counts.push(`${query} ${expected.length}`)
    }
    console.log(`search recall: ${counts.join(', ')}`)
    // The queries are about the corpus: almost all of them find something.
    expect(withHits).toBeGreaterThanOrEqual(QUERIES.length - 3)
  }, 600_000)

  it('does not conflate traditional and simplified characters', async () => {
    const traditional = (await allResults('臺灣')).urls
    const simplified = (await allResults('台湾')).urls
    expect(traditional.length).toBeGreaterThan(0)
    expect(simplified.length).toBeGreaterThan(0)
    expect(traditional).not.toEqual(simplified)
  }, 120_000)
})
