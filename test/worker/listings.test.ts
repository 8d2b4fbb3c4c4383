import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { LISTING_PAGE_SIZE, type Listing, listingPath } from '../../src/shared/listings.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { app } from '../../src/worker/app.ts'
import { newestFirst } from '../support/order.ts'
import { loadSite, storedPosts as posts } from './load-site.ts'
import { get, ORIGIN, page } from './worker-requests.ts'

/** Follows a listing's "Older" links from its first page; returns the post links of every page and the page paths. */
async function walk(listing: Listing) {
  const links: string[] = []
  const paths: string[] = []
  let path: string | null = listingPath(listing)
  while (path) {
    const { response, document } = await page(path)
    expect(response.status, path).toBe(200)
    const onPage = [...document.querySelectorAll('main ol.posts a.title')].map((a) => a.getAttribute('href')!)
    expect(onPage.length, path).toBeGreaterThan(0)
    expect(onPage.length, path).toBeLessThanOrEqual(LISTING_PAGE_SIZE)
    links.push(...onPage)
    paths.push(path)
    path = document.querySelector('nav.pages a[rel="next"]')?.getAttribute('href') ?? null
  }
  return { links, paths }
}

/** The app with a KV binding that counts what routes ask of it, passed through to the real namespace. */
async function countingFetch(path: string) {
  const calls: string[] = []
  const POSTS = new Proxy(env.POSTS, {
    get(target, property) {
      const value = Reflect.get(target, property)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.push(String(property))
        return value.apply(target, args)
      }
    },
  })
  const response = await app.fetch(new Request(`${ORIGIN}${path}`), { ...env, POSTS })
  return { response, calls }
}

beforeAll(loadSite, 120_000)

describe('the home listing', () => {
  it('lists every post exactly once across its pages, newest first', async () => {
    const { links, paths } = await walk({ kind: 'home' })
    expect(links).toEqual(
      posts()
        .sort(newestFirst)
        .map((p) => p.url),
    )
    expect(paths.length).toBe(Math.ceil(posts().length / LISTING_PAGE_SIZE))
    expect(paths[1]).toBe('/page/2/')
  })

  it('costs at most two KV reads a page and never a list()', async () => {
    const pages = Math.ceil(posts().length / LISTING_PAGE_SIZE)
    for (let n = 1; n <= pages; n++) {
      const { response, calls } = await countingFetch(n === 1 ? '/' : `/page/${n}/`)
      expect(response.status).toBe(200)
      expect(calls.length, `page ${n}: ${calls}`).toBeLessThanOrEqual(2)
      expect(calls.every((call) => call === 'get')).toBe(true)
    }
  })

  it('answers the edges of pagination', async () => {
    const last = Math.ceil(posts().length / LISTING_PAGE_SIZE)
    const redirect = await get('/page/1/')
    expect(redirect.status).toBe(301)
    expect(new URL(redirect.headers.get('location')!, ORIGIN).pathname).toBe('/')
    expect((await get(`/page/${last}/`)).status).toBe(200)
    for (const path of [
      `/page/${last + 1}/`,
      '/page/0/',
      '/page/02/',
      '/page/abc/',
      '/page/-1/',
      '/page/1.5/',
      '/page/99999999999999999999/',
    ]) {
      const response = await get(path)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/)
    }
    const bare = await get('/page/2')
    expect(bare.status).toBe(301)
    expect(bare.headers.get('location')).toBe('/page/2/')
  })

  it('links newer and older pages with rel=prev and rel=next', async () => {
    const { document } = await page('/page/2/')
    expect(document.querySelector('nav.pages a[rel="prev"]')?.getAttribute('href')).toBe('/')
    expect(document.querySelector('nav.pages a[rel="next"]')?.getAttribute('href')).toBe('/page/3/')
  })
})

describe('tag and category listings', () => {
  const terms = (kind: 'tag' | 'category') => {
    const byName = new Map<string, StoredPost[]>()
    for (const post of posts().sort(newestFirst)) {
      for (const name of kind === 'tag' ? post.tags : post.categories)
        byName.set(name, [...(byName.get(name) ?? []), post])
    }
    return byName
  }

  it('list every post exactly once on the pages of each of its tags and categories', async () => {
    for (const kind of ['tag', 'category'] as const) {
      for (const [name, tagged] of terms(kind)) {
        const { links } = await walk({ kind, name })
        expect(links, `${kind} ${name}`).toEqual(tagged.map((p) => p.url))
      }
    }
  })

  it('serve CJK names percent-encoded, and redirect the bare path and page 1', async () => {
    const path = `/tags/${encodeURIComponent('泡泡')}/`
    const { response, document } = await page(path)
    expect(response.status).toBe(200)
    expect(document.querySelector('h1')?.textContent).toBe('Tag: 泡泡')
    expect(document.querySelector('link[rel="alternate"][type="application/atom+xml"]')?.getAttribute('href')).toBe(
      `${path}feed.xml`,
    )
    const bare = await get(path.slice(0, -1))
    expect(bare.status).toBe(301)
    expect(bare.headers.get('location')).toBe(path)
    const first = await get(`${path}page/1/`)
    expect(first.status).toBe(301)
    expect(first.headers.get('location')).toBe(path)
  })

  it('answer 404 for a tag no post has, and past the last page of one', async () => {
    expect((await get('/tags/no-such-tag/')).status).toBe(404)
    expect((await get('/categories/no-such-category/page/2/')).status).toBe(404)
    const [name, tagged] = [...terms('tag')].reduce((a, b) => (b[1].length > a[1].length ? b : a))
    const last = Math.ceil(tagged.length / LISTING_PAGE_SIZE)
    expect(last).toBeGreaterThan(1)
    const path = listingPath({ kind: 'tag', name })
    expect((await get(`${path}page/${last}/`)).status).toBe(200)
    expect((await get(`${path}page/${last + 1}/`)).status).toBe(404)
  })

  it('are indexed with their counts, each linking its listing', async () => {
    for (const kind of ['tag', 'category'] as const) {
      const { response, document } = await page(kind === 'tag' ? '/tags/' : '/categories/')
      expect(response.status).toBe(200)
      const listed = [...document.querySelectorAll('main ul.terms li')].map((li) => [
        li.querySelector('a')!.getAttribute('href'),
        li.querySelector('.meta')!.textContent,
      ])
      const expected = [...terms(kind)]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, tagged]) => [listingPath({ kind, name }), `(${tagged.length})`])
      expect(listed).toEqual(expected)
    }
  })
})

describe('the archive', () => {
  it('indexes every month, and each month and year lists exactly its posts', async () => {
    const { document } = await page('/archive/')
    const months = [...document.querySelectorAll('main section li a')].map((a) => a.getAttribute('href')!)
    expect(months.length).toBeGreaterThan(10)
    const listed: string[] = []
    for (const month of months) {
      const { links } = await walk({ kind: 'month', year: month.slice(1, 5), month: month.slice(6, 8) })
      for (const link of links) expect(link.startsWith(month), `${link} in ${month}`).toBe(true)
      listed.push(...links)
    }
    expect(listed.sort()).toEqual(
      posts()
        .map((p) => p.url)
        .sort(),
    )

    const { links } = await walk({ kind: 'year', year: '2022' })
    expect(links).toEqual(
      posts()
        .sort(newestFirst)
        .filter((p) => p.url.startsWith('/2022/'))
        .map((p) => p.url),
    )
    expect((await get('/1999/')).status).toBe(404)
    expect((await get('/2022/13/')).status).toBe(404)
  })
})

describe('articles', () => {
  it('link their older and newer neighbours', async () => {
    const ordered = posts().sort(newestFirst)
    const middle = ordered[5]
    const { document } = await page(middle.url)
    expect(document.querySelector('nav.post-nav a[rel="prev"]')?.getAttribute('href')).toBe(ordered[6].url)
    expect(document.querySelector('nav.post-nav a[rel="next"]')?.getAttribute('href')).toBe(ordered[4].url)
    const newest = await page(ordered[0].url)
    expect(newest.document.querySelector('nav.post-nav a[rel="next"]')).toBeNull()
  })
})

describe('every page', () => {
  it('has landmarks, a skip link to main, site navigation and feed discovery', async () => {
    for (const path of ['/', '/tags/', '/archive/', posts()[0].url]) {
      const { document } = await page(path)
      expect(document.querySelector('a.skip')?.getAttribute('href'), path).toBe('#main')
      expect(document.querySelector('main#main'), path).not.toBeNull()
      expect(document.querySelector('header nav[aria-label] a[href="/archive/"]'), path).not.toBeNull()
      expect(document.querySelector('link[rel="alternate"][href="/feed.xml"]'), path).not.toBeNull()
      expect(document.querySelector('script:not([type="application/ld+json"])'), path).toBeNull()
    }
  })
})
