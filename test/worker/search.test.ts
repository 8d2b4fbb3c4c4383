/**
 * /search inside workerd with a real D1 index, on posts made up here so each
 * case can be told apart: ranking, ties, page edges, escaping, hostile input,
 * the pages a reader gets without results, caching, and /opensearch.xml.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { SearchDoc } from '../../src/shared/search-index.ts'
import { pageProblems } from '../support/render-safety.ts'
import { loadSearch } from './load-site.ts'
import { get, page } from './worker-requests.ts'

function made(slug: string, date: string, text: { title: string; meta?: string; body: string }): SearchDoc {
  return {
    slug,
    url: `/made/${slug}/`,
    title: text.title,
    date,
    source: `https://www.example.org/${slug}`,
    text: { title: text.title, meta: text.meta ?? '', body: text.body },
    hash: slug,
  }
}

const RANKED = [
  made('body-only', '2023-05-01T00:00:00Z', { title: 'Weekly notes', body: 'zzrank here, zzrank there, zzrank again' }),
  made('in-title', '2019-01-01T00:00:00Z', { title: 'The zzrank report', body: 'Nothing else to see.' }),
  made('in-tags', '2021-01-01T00:00:00Z', { title: 'Another note', meta: 'zzrank', body: 'Plain text.' }),
]
const TIED = ['2020-06-01', '2022-06-01', '2021-06-01'].map((day) =>
  made(`tie-${day}`, `${day}T00:00:00Z`, { title: 'Same', body: 'The very same zztie text.' }),
)
/** 21 posts with zzpage, the first 20 of them with zztwenty too. */
const PAGED = Array.from({ length: 21 }, (_, i) =>
  made(`paged-${i}`, `2020-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`, {
    title: `Paged ${i}`,
    body: i < 20 ? 'zzpage zztwenty' : 'zzpage',
  }),
)
const HOSTILE_TEXT = made('hostile', '2020-02-02T00:00:00Z', {
  title: '<b>zzxss</b> & "quotes"',
  body: 'before <script>alert(1)</script> zzxss <img src=x onerror=alert(1)> after & 香港警察',
})

beforeAll(() => loadSearch([...RANKED, ...TIED, ...PAGED, HOSTILE_TEXT]), 120_000)

const q = (query: string, more: Record<string, string> = {}) => `/search?${new URLSearchParams({ q: query, ...more })}`
type Page = Awaited<ReturnType<typeof page>>['document']
const resultLinks = (document: Page) =>
  [...document.querySelectorAll('ol.results > li > a.title')].map((a) => a.getAttribute('href'))
const status = (document: Page) => document.querySelector('main [role="status"]')?.textContent ?? ''

describe('ranking', () => {
  it('puts a title match above a tag match, and both above a body-only match', async () => {
    const { response, document } = await page(q('zzrank'))
    expect(response.status).toBe(200)
    expect(resultLinks(document)).toEqual(['/made/in-title/', '/made/in-tags/', '/made/body-only/'])
  })

  it('lists equally good matches newest first', async () => {
    const { document } = await page(q('zztie'))
    expect(resultLinks(document)).toEqual(['/made/tie-2022-06-01/', '/made/tie-2021-06-01/', '/made/tie-2020-06-01/'])
  })
})

describe('pages of results', () => {
  it('shows 20 results and no page links when there are exactly 20', async () => {
    const { document } = await page(q('zztwenty'))
    expect(resultLinks(document)).toHaveLength(20)
    expect(status(document)).toMatch(/^20 posts contain/)
    expect(document.querySelector('nav.pages')).toBeNull()
  })

  it('puts the 21st result on page 2, linked both ways, and says how far the pages go', async () => {
    const first = await page(q('zzpage'))
    expect(resultLinks(first.document)).toHaveLength(20)
    expect(status(first.document)).toMatch(/^21 posts contain .*page 1 of 2/)
    const next = first.document.querySelector('nav.pages a[rel="next"]')?.getAttribute('href')
    expect(next).toBe(q('zzpage', { page: '2' }))
    const second = await page(next!)
    expect(second.response.status).toBe(200)
    expect(resultLinks(second.document)).toHaveLength(1)
    // Numbered on from the first page.
    expect(second.document.querySelector('ol.results')?.getAttribute('start')).toBe('21')
    expect(second.document.querySelector('nav.pages a[rel="prev"]')?.getAttribute('href')).toBe(q('zzpage'))
    expect(second.document.querySelector('nav.pages a[rel="next"]')).toBeNull()
    const all = new Set([...resultLinks(first.document), ...resultLinks(second.document)])
    expect(all).toEqual(new Set(PAGED.map((d) => d.url)))
  })

  it('answers a page past the last with a 404 that links to the last', async () => {
    const { response, document } = await page(q('zzpage', { page: '3' }))
    expect(response.status).toBe(404)
    expect(status(document)).toMatch(/no page 3/)
    expect(document.querySelector('main [role="status"] a')?.getAttribute('href')).toBe(q('zzpage', { page: '2' }))
  })

  it('refuses page numbers that are not pages with a 400', async () => {
    for (const bad of ['0', '-1', 'abc', '2.5', '501', '1e3', '99999999999999999999', ''])
      expect((await get(q('zzpage', { page: bad }))).status, `page=${bad}`).toBe(400)
  })

  it('sends other spellings of a query to its one address', async () => {
    for (const [path, location] of [
      [q('zzpage', { page: '1' }), q('zzpage')],
      ['/search?q=%20zzpage%20%20zztwenty', q('zzpage zztwenty')],
      [`${q('zzpage')}&utm_source=x`, q('zzpage')],
      ['/search?q=', '/search'],
    ]) {
      const response = await get(path)
      expect(response.status, path).toBe(301)
      expect(response.headers.get('location'), path).toBe(location)
    }
  })
})

describe('what a result shows', () => {
  it('marks the matches in the title and the snippet, and escapes the text around them', async () => {
    const response = await get(q('zzxss'))
    const html = await response.text()
    expect(response.status).toBe(200)
    expect(pageProblems(html)).toEqual([])
    const { document } = await page(q('zzxss'))
    const result = document.querySelector('ol.results > li')!
    expect(result.querySelector('a.title')?.textContent).toBe('<b>zzxss</b> & "quotes"')
    expect([...result.querySelectorAll('a.title mark')].map((m) => m.textContent)).toEqual(['zzxss'])
    const snippet = result.querySelector('.snippet')!
    expect(snippet.textContent).toContain('before <script>alert(1)</script> zzxss <img src=x onerror=alert(1)> after')
    expect([...snippet.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['zzxss'])
    expect(document.querySelectorAll('main script, main img, main b')).toHaveLength(0)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('marks CJK matches inside longer runs, with the date and the source', async () => {
    const { document } = await page(q('警察'))
    const result = document.querySelector('ol.results > li')!
    expect(result.querySelector('a.title')?.getAttribute('href')).toBe('/made/hostile/')
    expect([...result.querySelectorAll('.snippet mark')].map((m) => m.textContent)).toEqual(['警察'])
    expect(result.querySelector('time')?.getAttribute('datetime')).toBe('2020-02-02T00:00:00Z')
    expect(result.querySelector('.meta')?.textContent).toContain('example.org')
  })
})

describe('queries that are not simple', () => {
  const HOSTILE = [
    '"',
    '""',
    '" "',
    '"unclosed zzrank',
    'AND',
    'zzrank OR',
    'NOT zzrank',
    'NEAR(zzrank zztie)',
    'NEAR(zzrank zztie, 3)',
    '*',
    '**',
    'zz*rank',
    '*zzrank',
    '-',
    '-zzrank',
    'zzrank-',
    '(',
    ')',
    '(zzrank OR zztie)',
    'title:zzrank',
    'body:香港',
    '^zzrank',
    'zzrank +',
    "'; DROP TABLE search_posts; --",
    '\u0000',
    '%',
    'c++',
    '\\',
    '{title}: zzrank',
    '香*',
    '"香港 police"',
    '\ud83d\ude00',
    'a'.repeat(10_000),
    'zzrank '.repeat(1500),
    '香'.repeat(4000),
    Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '),
  ]

  it('never answer with a 500: a results page or a 400', async () => {
    const paths = [
      ...HOSTILE.map((query) => q(query)),
      '/search?q=%E4%B8',
      '/search?q=%FF%FE',
      '/search?q=%',
      '/search?q=%%25',
      '/search?q=%ZZ',
      '/search?q=zzrank&q=zztie',
      '/search?page=2',
      '/search?q[]=zzrank',
    ]
    for (const path of paths) {
      let response = await get(path)
      if (response.status === 301) response = await get(response.headers.get('location')!)
      expect([200, 400], path.slice(0, 80)).toContain(response.status)
      expect(await response.text(), path.slice(0, 80)).toContain('<h1>Search</h1>')
    }
    // Nothing reached SQL: the index is as it was.
    expect(resultLinks((await page(q('zzrank'))).document)).toHaveLength(3)
  }, 120_000)

  it('treats operators as words and punctuation as a separator', async () => {
    expect(resultLinks((await page(q('zzrank OR'))).document)).toEqual([])
    expect(resultLinks((await page(q('-zzrank'))).document)).toHaveLength(3)
    expect(resultLinks((await page(q('(zzrank)'))).document)).toHaveLength(3)
  })

  it('gives an empty query the search form and the help', async () => {
    const { response, document } = await page('/search')
    expect(response.status).toBe(200)
    expect(document.querySelector('main form input[name="q"]')).not.toBeNull()
    expect(document.querySelector('ol.results')).toBeNull()
    expect(document.querySelector('.search-help')?.textContent).toMatch(/Traditional and simplified characters/)
  })

  it('says when a query is too long, or has nothing to search for', async () => {
    const long = await page(q('香'.repeat(257)))
    expect(long.response.status).toBe(200)
    expect(status(long.document)).toMatch(/257 characters.*at most 256/)
    const nothing = await page(q('!!! ——'))
    expect(status(nothing.document)).toMatch(/nothing|no letters/)
  })
})

describe('the search form, caching and OpenSearch', () => {
  it('is in the header of every page, a GET form without script', async () => {
    for (const path of ['/search', q('zzrank'), '/no/such/page/']) {
      const response = await get(path)
      const html = await response.text()
      const { document } = await page(path)
      const form = document.querySelector('header search form')
      expect(form?.getAttribute('action'), path).toBe('/search')
      expect(form?.getAttribute('method'), path).toBe('get')
      expect(form?.querySelector('input[type="search"][name="q"]'), path).not.toBeNull()
      expect(html, path).not.toMatch(/<script/i)
      expect(response.headers.get('content-security-policy'), path).toMatch(/form-action 'self'/)
      expect(document.querySelector('link[rel="search"]')?.getAttribute('href')).toBe('/opensearch.xml')
    }
  })

  it('caches results for a short time, with validators', async () => {
    const response = await get(q('zzrank'))
    expect(response.headers.get('cache-control')).toMatch(/max-age=60\b/)
    const etag = response.headers.get('etag')
    expect(etag).toBeTruthy()
    const again = await get(q('zzrank'), { headers: { 'if-none-match': etag! } })
    expect(again.status).toBe(304)
    expect((await get(q('zztie'))).headers.get('etag')).not.toBe(etag)
  })

  it('describes the search at /opensearch.xml', async () => {
    const response = await get('/opensearch.xml')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/opensearchdescription\+xml/)
    const xml = await response.text()
    expect(xml).toContain('template="http://example.com/search?q={searchTerms}"')
    expect(xml).toMatch(/<ShortName>[^<]{1,16}<\/ShortName>/)
  })
})
