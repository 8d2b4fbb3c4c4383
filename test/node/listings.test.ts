import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ListedPost } from '../../src/builder/build-state.ts'
import { chunkedEntries } from '../../src/builder/chunked-entries.ts'
import { readFrontMatter } from '../../src/builder/front-matter.ts'
import { listingEntries } from '../../src/builder/listing-entries.ts'
import { buildSite, type SiteBuild } from '../../src/builder/site.ts'
import {
  chunkHolding,
  itemsInRange,
  LISTING_PAGE_SIZE,
  LISTING_STRIDE,
  type Listing,
  listingId,
  listingPath,
  oldestFirst,
  pageCount,
  pageRange,
} from '../../src/shared/listings.ts'
import type { KvEntry } from '../../src/shared/schema.ts'
import {
  type Chunk,
  type ChunkedHead,
  keys,
  type PostSummary,
  postPath,
  type StoredPost,
} from '../../src/shared/schema.ts'
import { fixturesDir, postFiles, siteWith } from '../support/corpus.ts'
import { newestFirst } from '../support/order.ts'

type Store = Map<string, string>

const store = (entries: KvEntry[]): Store => new Map(entries.map((e) => [e.key, e.value]))

/**
 * Reads page `page` of a listing from built entries the way the worker does
 * (routes/listings-read.ts): the head, then the one chunk chunkHolding names.
 * Returns the items newest first and the keys it read.
 */
function readPage<T>(kv: Store, headKey: string, chunkKey: (k: number) => string, page: number) {
  const read: string[] = []
  const get = (key: string) => {
    read.push(key)
    const value = kv.get(key)
    if (value === undefined) throw new Error(`${key} is missing`)
    return JSON.parse(value)
  }
  const head = get(headKey) as ChunkedHead<T>
  const range = pageRange(head.count, head.overlap, page)
  if (!range) return { head, items: null, read }
  const index = chunkHolding(head, range.start)
  const chunk = index === null ? undefined : (get(chunkKey(index)) as Chunk<T>)
  return { head, items: itemsInRange(head, range, chunk)?.reverse() ?? null, read }
}

/** Every page of a listing, newest first, checking each costs at most two reads. */
function readListing(kv: Store, listing: Listing): PostSummary[] {
  const id = listingId(listing)
  const first = readPage<PostSummary>(kv, keys.listingHead(id), (k) => keys.listingChunk(id, k), 1)
  const pages = pageCount(first.head.count, first.head.overlap)
  const all: PostSummary[] = []
  for (let page = 1; page <= pages; page++) {
    const { items, read } = readPage<PostSummary>(kv, keys.listingHead(id), (k) => keys.listingChunk(id, k), page)
    expect(read.length, `${id} page ${page}`).toBeLessThanOrEqual(2)
    expect(items, `${id} page ${page}`).not.toBeNull()
    expect(items!.length, `${id} page ${page}`).toBe(
      page < pages ? first.head.overlap : first.head.count - (pages - 1) * first.head.overlap,
    )
    all.push(...items!)
  }
  expect(readPage(kv, keys.listingHead(id), (k) => keys.listingChunk(id, k), pages + 1).items).toBeNull()
  return all
}

function changedKeys(before: KvEntry[], after: KvEntry[]) {
  const a = store(before)
  const b = store(after)
  return {
    added: [...b.keys()].filter((k) => !a.has(k)),
    changed: [...b.keys()].filter((k) => a.has(k) && a.get(k) !== b.get(k)),
    removed: [...a.keys()].filter((k) => !b.has(k)),
  }
}

describe('chunked lists', () => {
  it('serve every page from the head or one chunk, each item exactly once, for every size', () => {
    for (const [stride, overlap] of [
      [20, 20],
      [7, 3],
      [5, 5],
    ]) {
      for (let count = 0; count <= 120; count++) {
        const items = Array.from({ length: count }, (_, i) => i)
        const kv = store(chunkedEntries(items, { stride, overlap }, 'head', (k) => `chunk:${k}`))
        const seen: number[] = []
        for (let page = 1; page <= pageCount(count, overlap); page++) {
          const { items: got, read } = readPage<number>(kv, 'head', (k) => `chunk:${k}`, page)
          expect(read.length).toBeLessThanOrEqual(2)
          seen.push(...got!)
        }
        expect(seen, `stride ${stride} overlap ${overlap} count ${count}`).toEqual(items.reverse())
      }
    }
  })

  it('never rewrite a full chunk when items are appended', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ n: i }))
    for (let count = 1; count < items.length; count++) {
      const before = chunkedEntries(items.slice(0, count), { stride: 20, overlap: 20 }, 'head', (k) => `chunk:${k}`)
      const after = chunkedEntries(items.slice(0, count + 1), { stride: 20, overlap: 20 }, 'head', (k) => `chunk:${k}`)
      const diff = changedKeys(before, after)
      expect(diff.changed).toEqual(['head'])
      expect(diff.removed).toEqual([])
      expect(diff.added.length).toBeLessThanOrEqual(1)
    }
  })
})

describe('listings of the test site', () => {
  const dir = siteWith(fixturesDir)
  let site: SiteBuild
  let kv: Store
  beforeAll(async () => {
    site = await buildSite(dir)
    kv = store(site.entries)
  }, 120_000)

  it('list every post on the home pages once, newest first', () => {
    expect(readListing(kv, { kind: 'home' }).map((p) => p.slug)).toEqual(
      [...site.posts].sort(newestFirst).map((p) => p.slug),
    )
  })

  it('list every post once on the pages of each of its tags, categories, its year and month', () => {
    const expected = new Map<string, { listing: Listing; slugs: string[] }>()
    const add = (listing: Listing, post: StoredPost) => {
      const id = listingId(listing)
      expected.set(id, { listing, slugs: [...(expected.get(id)?.slugs ?? []), post.slug] })
    }
    for (const post of [...site.posts].sort(newestFirst)) {
      for (const name of post.tags) add({ kind: 'tag', name }, post)
      for (const name of post.categories) add({ kind: 'category', name }, post)
      const [, year, month] = post.url.split('/')
      add({ kind: 'year', year }, post)
      add({ kind: 'month', year, month }, post)
    }
    expect(expected.size).toBeGreaterThan(20)
    for (const { listing, slugs } of expected.values()) {
      expect(
        readListing(kv, listing).map((p) => p.slug),
        listingId(listing),
      ).toEqual(slugs)
    }
    // …and no listing the posts do not call for.
    const heads = [...kv.keys()].filter((k) => k.startsWith('list:'))
    expect(heads.sort()).toEqual([keys.listingHead('home'), ...[...expected.keys()].map(keys.listingHead)].sort())
  })

  it('index every tag and month with its count', () => {
    const tags = JSON.parse(kv.get(keys.tagIndex)!).terms as { name: string; count: number }[]
    const tagged = new Map<string, number>()
    for (const post of site.posts) for (const tag of post.tags) tagged.set(tag, (tagged.get(tag) ?? 0) + 1)
    expect(Object.fromEntries(tags.map((t) => [t.name, t.count]))).toEqual(Object.fromEntries(tagged))
    const months = JSON.parse(kv.get(keys.archiveIndex)!).months as { count: number }[]
    expect(months.reduce((sum, m) => sum + m.count, 0)).toBe(site.posts.length)
  })

  it('link each post to its site-wide neighbours', () => {
    const ordered = [...site.posts].sort(newestFirst)
    for (const [i, post] of ordered.entries()) {
      expect(post.newer?.url, post.file).toBe(ordered[i - 1]?.url)
      expect(post.older?.url, post.file).toBe(ordered[i + 1]?.url)
    }
    // The neighbours are part of the stored value, so they are part of its hash too.
    const seed = site.posts.find((p) => p.older)!
    expect(JSON.parse(kv.get(keys.post(seed.slug))!).older).toEqual(seed.older)
  })

  it('are the same bytes when built twice (deploy diffs them by value)', { timeout: 120_000 }, async () => {
    const again = await buildSite(dir)
    expect(changedKeys(site.entries, again.entries)).toEqual({ added: [], changed: [], removed: [] })
  })

  it('percent-encode names in paths', () => {
    expect(listingPath({ kind: 'tag', name: '泡泡' })).toBe(`/tags/${encodeURIComponent('泡泡')}/`)
    expect(listingPath({ kind: 'category', name: 'a/b?c#d' })).toBe('/categories/a%2Fb%3Fc%23d/')
  })
})

/**
 * A content folder of `count` posts made from the fixtures: their front matter
 * (titles made unique, dates a few hours apart) and the first part of its
 * bodies. Listings do not care how long a body is.
 */
function scaledSite(count: number): { dir: string; addPost: (date: string, title: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'nav-scale-'))
  mkdirSync(join(dir, 'posts'))
  const sources = postFiles(fixturesDir).map((name) =>
    readFrontMatter(name, readFileSync(join(fixturesDir, name), 'utf8')),
  )
  const write = (n: number, date: string, title: string) => {
    const source = sources[n % sources.length]
    const data = source.data as { author?: string; from?: string; tags?: string[]; categories?: string[] }
    const list = (items: string[] = []) => `[ ${items.map((i) => JSON.stringify(i)).join(', ')} ]`
    const front = [
      `title: ${JSON.stringify(title)}`,
      `date: ${date}`,
      `author: ${JSON.stringify(data.author ?? 'someone')}`,
      `tags: ${list(data.tags)}`,
      `categories: ${list(data.categories)}`,
    ]
    writeFileSync(
      join(dir, 'posts', `${date.slice(0, 10)}-${title}.md`),
      `---\n${front.join('\n')}\n---\n${source.content.slice(0, 600)}\n`,
    )
  }
  const start = Date.parse('2012-01-01T00:00:00Z')
  for (let n = 0; n < count; n++) {
    const title = `${String((sources[n % sources.length].data as { title: string }).title)
      .replaceAll('/', ' ')
      .slice(0, 40)} ${n}`
    write(n, new Date(start + n * 7 * 3600_000).toISOString(), title)
  }
  return { dir, addPost: (date, title) => write(count, date, title) }
}

describe('a 10,000-post site', () => {
  const sizes = [1_000, 10_000]
  const appended = new Map<number, ReturnType<typeof changedKeys>>()
  let big: { before: SiteBuild; after: SiteBuild } | undefined

  beforeAll(async () => {
    for (const size of sizes) {
      const { dir, addPost } = scaledSite(size)
      const before = await buildSite(dir)
      addPost('2030-06-01T08:00:00.000Z', 'A new post')
      const after = await buildSite(dir)
      appended.set(size, changedKeys(before.entries, after.entries))
      if (size === 10_000) big = { before, after }
    }
  }, 300_000)

  it('publishes a new post by changing a handful of keys, whatever the size of the site', () => {
    for (const size of sizes) {
      const { added, changed, removed } = appended.get(size)!
      const touched = [...added, ...changed]
      // The post; its older neighbour (now links it); per listing (home, tag, category, year, month)
      // the head and at most one new chunk; three indexes; its old-link day; the sitemap head and maybe a chunk.
      expect(touched.length, `${size} posts: ${touched.join(' ')}`).toBeLessThanOrEqual(2 + 5 * 2 + 3 + 1 + 2)
      expect(removed).toEqual([])
      expect(added).toContain(keys.post('2030-06-01-a-new-post'))
      // Full chunks are never rewritten: every chunk touched is a new one.
      expect(changed.filter((k) => k.startsWith('chunk:') || /^sitemap:\d/.test(k))).toEqual([])
      expect(changed.filter((k) => k.startsWith('post:'))).toHaveLength(1)
    }
  })

  it('serves every home page from at most two keys and lists every post once', () => {
    const kv = store(big!.after.entries)
    const home = readListing(kv, { kind: 'home' })
    expect(home).toHaveLength(10_001)
    expect(new Set(home.map((p) => p.slug)).size).toBe(10_001)
    expect(home[0].slug).toBe('2030-06-01-a-new-post')
    // Some tag of this site has thousands of posts; its pages obey the same bound.
    const tags = JSON.parse(kv.get(keys.tagIndex)!).terms as { name: string; count: number }[]
    const largest = tags.reduce((a, b) => (b.count > a.count ? b : a))
    expect(largest.count).toBeGreaterThan(1_000)
    expect(readListing(kv, { kind: 'tag', name: largest.name })).toHaveLength(largest.count)
  })

  it('keeps every listing value small', () => {
    const largest = big!.after.entries
      .filter((e) => !e.key.startsWith('post:'))
      .reduce((a, b) => (b.value.length > a.value.length ? b : a))
    // The biggest is a sitemap chunk (1,000 URLs); listing heads and chunks hold at most stride + page size posts.
    expect(largest.value.length).toBeLessThan(400_000)
    for (const e of big!.after.entries.filter((e) => e.key.startsWith('list:') || e.key.startsWith('chunk:'))) {
      const value = JSON.parse(e.value) as { tail?: unknown[]; items?: unknown[] }
      expect((value.tail ?? value.items)!.length).toBeLessThanOrEqual(LISTING_STRIDE + LISTING_PAGE_SIZE)
    }
  })
})

describe('listings made from the stored ones', () => {
  /** Post i of a synthetic site: a day each, three tags in turn, one category in two. */
  const post = (i: number, title = `Post ${i}`, tags = [`tag-${i % 3}`]): ListedPost => {
    const date = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString()
    const slug = `${date.slice(0, 10)}-post-${i}`
    const file = `posts/${slug}.md`
    return { file, slug, url: postPath(slug), title, date, author: 'A', tags, categories: i % 2 ? ['odd'] : [] }
  }
  const full = (posts: ListedPost[]) => listingEntries([...posts].sort(oldestFirst))

  /** Lists `after` from `before`'s stored listings; checks it against the full build and returns the keys it made. */
  function incremental(before: ListedPost[], after: ListedPost[], changed: string[]): string[] {
    const stored = store(full(before).entries)
    const made = listingEntries([...after].sort(oldestFirst), {
      posts: [...before].sort(oldestFirst),
      changed: new Set(changed),
    })
    const applied = new Map(stored)
    for (const key of made.unchanged) expect(stored.has(key), key).toBe(true)
    const kept = new Set(made.unchanged)
    for (const key of stored.keys()) if (!kept.has(key)) applied.delete(key)
    for (const { key, value } of made.entries) {
      expect(kept.has(key), key).toBe(false)
      applied.set(key, value)
    }
    expect(Object.fromEntries([...applied].sort())).toEqual(Object.fromEntries([...store(full(after).entries)].sort()))
    return made.entries.map((e) => e.key)
  }

  const site = Array.from({ length: 300 }, (_, i) => post(i))

  it('makes only the heads a new post joins, whatever the size of the site', () => {
    const made = incremental(site, [...site, post(300)], [post(300).file])
    expect(made.filter((key) => key.startsWith('chunk:') || /^sitemap:\d/.test(key))).toEqual([])
    // Home, the tag, the category, the year and the month heads; three indexes; the day; the sitemap head.
    expect(made.length).toBeLessThanOrEqual(5 + 3 + 1 + 1)
    // Nothing changed: only the indexes.
    expect(incremental(site, site, []).sort()).toEqual([keys.archiveIndex, keys.categoryIndex, keys.tagIndex])
  })

  it('makes the chunks from the first changed position on: a backdated post, a removal, an edit', () => {
    const backdated = { ...post(100), file: 'posts/backdated.md', slug: '2020-04-10-backdated', title: 'Backdated' }
    const inserted = incremental(site, [...site, backdated], [backdated.file])
    expect(inserted.some((key) => key.startsWith('chunk:'))).toBe(true)
    // Chunks wholly before the insertion are kept: home chunk 0 holds posts 0–39.
    expect(inserted).not.toContain(keys.listingChunk('home', 0))

    incremental(site, site.toSpliced(150, 1), [])
    incremental(site, site.with(200, post(200, 'Retitled')), [site[200].file])
    incremental(site, site.with(42, post(42, 'Post 42', ['new-tag', 'tag-0'])), [site[42].file])
    incremental(site, site.slice(0, 10), [])
  })
})
