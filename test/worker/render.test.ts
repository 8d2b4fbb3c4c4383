/**
 * Article rendering as served by the worker in workerd, from KV: every page
 * parsed the way a browser parses it (parse5) and checked for safety, image
 * proxying and metadata.
 */
import { env } from 'cloudflare:workers'
import { type DefaultTreeAdapterMap, parse } from 'parse5'
import { beforeAll, describe, expect, it } from 'vitest'
import { importImageKey, verifyImageProxyPath } from '../../src/shared/image-url.ts'
import { attr, elementsOf } from '../support/html-tree.ts'
import { pageProblems } from '../support/render-safety.ts'
import { loadSite, manifest } from './load-site.ts'
import { checkServedPosts } from './served-posts.ts'
import { get, ORIGIN } from './worker-requests.ts'

const SEED_FROM = 'https://www.zaobao.com/realtime/china/story20221115-1333258'
const SEED_IMAGE =
  'https://www.zaobao.com/s3fs-public/styles/article_large_full/public/2022-11/file7mw39clzwr5ddt6sblf.jpg?itok=a-m9EKWV'

beforeAll(loadSite)

describe('the seed post, served', () => {
  it('has its lazy image real and signed for the proxy, its title once, the source link, and its metadata', async () => {
    const seed = manifest().find((p) => p.file.endsWith('王毅谈习拜会：有利推动两国关系重回健康正轨.md'))!
    const response = await get(seed.url)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(pageProblems(html, { proxiedImages: true })).toEqual([])

    const document = parse(html)
    const key = await importImageKey(env.IMAGE_PROXY_KEY)
    const body = elementsOf(document, 'div').find((d) => attr(d, 'class') === 'body')!
    const images = elementsOf(body, 'img')
    expect(images).toHaveLength(1)
    expect(await verifyImageProxyPath(key, attr(images[0], 'src')!)).toBe(SEED_IMAGE)
    // The source's setext heading repeated the title; the byline links the source.
    expect(elementsOf(body, 'h2')).toEqual([])
    const source = elementsOf(document, 'a').filter((a) => attr(a, 'href') === SEED_FROM)
    expect(source.map((a) => attr(a, 'class'))).toEqual(['source'])

    expect(attr(elementsOf(document, 'html')[0], 'lang')).toBe('zh-Hans')
    const og = elementsOf(document, 'meta').find((m) => attr(m, 'property') === 'og:image')!
    const ogImage = new URL(attr(og, 'content')!)
    expect(ogImage.origin).toBe(ORIGIN)
    expect(await verifyImageProxyPath(key, ogImage.pathname)).toBe(SEED_IMAGE)
    const canonical = elementsOf(document, 'link').find((l) => attr(l, 'rel') === 'canonical')!
    expect(attr(canonical, 'href')).toBe(`${ORIGIN}${seed.url}`)
    const [jsonLd] = elementsOf(document, 'script')
    expect(JSON.parse((jsonLd.childNodes[0] as DefaultTreeAdapterMap['textNode']).value)).toMatchObject({
      '@type': 'NewsArticle',
      headline: seed.title,
      isBasedOn: SEED_FROM,
    })
  })
})

describe('every post of the test site, served', () => {
  it('is a 200 page with its title, safe as a browser parses it, every image a signed URL the proxy accepts', async () => {
    const { failures, images, hosts } = await checkServedPosts(manifest())
    expect(failures).toEqual([])
    // content/ and test/fixtures: a few dozen posts covering every feature of the corpus.
    expect(manifest().length).toBeGreaterThan(30)
    expect(images).toBeGreaterThan(100)
    expect(hosts.size).toBeGreaterThan(5)
  }, 180_000)
})
