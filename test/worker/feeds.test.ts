import { env } from 'cloudflare:workers'
import { parseHTML } from 'linkedom'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/shared/config.ts'
import { importImageKey } from '../../src/shared/image-url.ts'
import { FEED_ITEMS, LISTING_PAGE_SIZE, LISTING_STRIDE, listingPath } from '../../src/shared/listings.ts'
import { keys, type ListingHead, SCHEMA_VERSION, type StoredPost } from '../../src/shared/schema.ts'
import { type RenderConfig, renderArticleBody } from '../../src/worker/render/index.tsx'
import { newestFirst } from '../support/order.ts'
import { child, children, parseXml, type XmlElement } from '../support/xml.ts'
import { loadSite, storedPosts as posts } from './load-site.ts'
import { get, ORIGIN } from './worker-requests.ts'

const ATOM = 'http://www.w3.org/2005/Atom'

/** The config a request to ORIGIN renders with (see src/worker/configuration.ts). */
async function config(): Promise<RenderConfig> {
  const { siteName, imageProxy } = parseConfig(env)
  return { siteName, origin: ORIGIN, imageKey: await importImageKey(imageProxy.secret) }
}

async function atom(path: string): Promise<XmlElement> {
  const response = await get(path)
  expect(response.status, path).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8')
  const feed = parseXml(await response.text())
  expect(feed.name).toBe('feed')
  expect(feed.uri).toBe(ATOM)
  return feed
}

async function jsonFeed(path: string) {
  const response = await get(path)
  expect(response.status, path).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8')
  return JSON.parse(await response.text())
}

/** The body as the article page renders it, compared with links made relative again. */
async function articleBody(post: StoredPost): Promise<string> {
  return relative(await renderArticleBody(post, await config()))
}

function relative(html: string): string {
  return html.replaceAll(`="${ORIGIN}/`, '="/').replaceAll(`, ${ORIGIN}/`, ', /')
}

/** URLs in feed HTML that a reader elsewhere could not resolve: root-relative ones. */
function rootRelative(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`)
  const urls = [...document.querySelectorAll('[src], [href], [poster], [srcset]')].flatMap((el): string[] => {
    const srcset: string = el.getAttribute('srcset') ?? ''
    return [
      ...['src', 'href', 'poster'].map((name) => el.getAttribute(name) ?? ''),
      ...srcset.split(',').map((c) => c.trim().split(/\s+/)[0]),
    ]
  })
  return urls.filter((url) => url.startsWith('/') && !url.startsWith('//'))
}

beforeAll(loadSite, 120_000)

describe('the site feeds', () => {
  it('carry the newest posts in Atom, in full, rewritten as the articles are', async () => {
    const feed = await atom('/feed.xml')
    const newest = posts().sort(newestFirst).slice(0, FEED_ITEMS)
    const entries = children(feed, 'entry')
    expect(entries.map((e) => child(e, 'id')?.text)).toEqual(newest.map((p) => ORIGIN + p.url))
    expect(entries.map((e) => child(e, 'title')?.text)).toEqual(newest.map((p) => p.title))
    expect(child(feed, 'updated')?.text).toBe(
      newest
        .map((p) => p.updated ?? p.date)
        .sort()
        .at(-1),
    )
    const self = children(feed, 'link').find((l) => l.attributes.rel === 'self')
    expect(self?.attributes.href).toBe(`${ORIGIN}/feed.xml`)
    for (const [i, entry] of entries.entries()) {
      const content = child(entry, 'content')!
      expect(content.attributes.type).toBe('html')
      expect(relative(content.text)).toBe(await articleBody(newest[i]))
      expect(rootRelative(content.text)).toEqual([])
      expect(children(entry, 'link').find((l) => l.attributes.rel === 'alternate')?.attributes.href).toBe(
        ORIGIN + newest[i].url,
      )
    }
  })

  it('carry the same posts in JSON Feed 1.1', async () => {
    const feed = await jsonFeed('/feed.json')
    const newest = posts().sort(newestFirst).slice(0, FEED_ITEMS)
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.feed_url).toBe(`${ORIGIN}/feed.json`)
    expect(feed.home_page_url).toBe(`${ORIGIN}/`)
    expect(feed.items.map((i: { id: string }) => i.id)).toEqual(newest.map((p) => ORIGIN + p.url))
    for (const [i, item] of feed.items.entries()) {
      expect(item.title).toBe(newest[i].title)
      expect(relative(item.content_html)).toBe(await articleBody(newest[i]))
      expect(rootRelative(item.content_html)).toEqual([])
      expect(item.date_published).toBe(newest[i].date)
    }
  })
})

describe('tag and category feeds', () => {
  it('carry only the newest posts of their tag or category', async () => {
    for (const kind of ['tag', 'category'] as const) {
      const name = 'iYouPort'
      const tagged = posts()
        .filter((p) => (kind === 'tag' ? p.tags : p.categories).includes(name))
        .sort(newestFirst)
        .slice(0, FEED_ITEMS)
      const path = listingPath({ kind, name })
      const feed = await atom(`${path}feed.xml`)
      const entries = children(feed, 'entry')
      expect(entries.map((e) => child(e, 'id')?.text)).toEqual(tagged.map((p) => ORIGIN + p.url))
      for (const entry of entries) expect(children(entry, 'category').map((c) => c.attributes.term)).toContain(name)
      const json = await jsonFeed(`${path}feed.json`)
      expect(json.items.map((i: { id: string }) => i.id)).toEqual(tagged.map((p) => ORIGIN + p.url))
    }
  })

  it('hold all posts of a small tag, and 404 for a tag no post has', async () => {
    const name = 'Huli'
    const tagged = posts().filter((p) => p.tags.includes(name))
    expect(tagged.length).toBeLessThan(FEED_ITEMS)
    expect(children(await atom(`${listingPath({ kind: 'tag', name })}feed.xml`), 'entry')).toHaveLength(tagged.length)
    expect((await get('/tags/no-such-tag/feed.xml')).status).toBe(404)
    expect((await get('/tags/no-such-tag/feed.json')).status).toBe(404)
  })
})

describe('feeds of hostile text', () => {
  // Control characters, a lone surrogate, markup and CDATA terminators, in every field a feed prints.
  const title = 'Bell\u0007 <b>bold</b> & "quotes" \'apos\' ]]> \uD800 tab\tend \u0085 标题 \u{1F600}'
  // Cast, not annotated: the renderer's fields of StoredPost are its own to grow.
  const post = {
    schema: SCHEMA_VERSION,
    slug: '2031-01-01-hostile',
    url: '/2031/01/01/hostile/',
    file: 'posts/2031-01-01-hostile.md',
    title,
    date: '2031-01-01T00:00:00.000Z',
    author: 'Eve\u000b<script>',
    from: 'https://example.com/a?b=1&c=<2>',
    tags: ['hostile'],
    categories: ['a<b>&c\u0001'],
    comments: false,
    description: 'summary\u0000 with NUL & <tags>',
    html: '<p>back\u0008space ]]&gt; and ]]> raw <a href="/2014/04/16/x/">here</a></p>',
    excerpt: 'back\u0008space',
    lang: 'en',
    readingMinutes: 1,
    hash: '0000000000000000',
  } as StoredPost

  beforeAll(async () => {
    await env.POSTS.put(keys.post(post.slug), JSON.stringify(post))
    const { slug, url, date, author, tags, categories } = post
    const head: ListingHead = {
      schema: SCHEMA_VERSION,
      count: 1,
      stride: LISTING_STRIDE,
      overlap: LISTING_PAGE_SIZE,
      tail: [{ slug, url, title, date, author, tags, categories }],
    }
    await env.POSTS.put(keys.listingHead('tag:hostile'), JSON.stringify(head))
  })

  const cleaned = (text: string) => text.replace(/[\u0000\u0001\u0007\u0008\u000b\u0085\uD800]/g, '')

  it('is well-formed XML that says exactly the text, minus characters XML forbids', async () => {
    const response = await get('/tags/hostile/feed.xml')
    const xml = await response.text()
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0085]/)
    const entry = child(parseXml(xml), 'entry')!
    expect(child(entry, 'title')?.text).toBe(cleaned(title))
    expect(child(child(entry, 'author')!, 'name')?.text).toBe('Eve<script>')
    expect(child(entry, 'summary')?.text).toBe('summary with NUL & <tags>')
    expect(children(entry, 'category').map((c) => c.attributes.term)).toEqual(['hostile', 'a<b>&c'])
    expect(children(entry, 'link').find((l) => l.attributes.rel === 'via')?.attributes.href).toBe(post.from)
    expect(relative(child(entry, 'content')!.text)).toBe(cleaned(await articleBody(post)))
    expect(rootRelative(child(entry, 'content')!.text)).toEqual([])
  })

  it('is valid JSON with the same text', async () => {
    const item = (await jsonFeed('/tags/hostile/feed.json')).items[0]
    expect(item.title).toBe(cleaned(title))
    expect(item.tags).toEqual(['hostile', 'a<b>&c'])
    expect(item.external_url).toBe(post.from)
  })
})
