/**
 * Article rendering as served by the worker in workerd, from KV: every page
 * parsed the way a browser parses it (parse5) and checked for safety, image
 * proxying and metadata.
 */
import { env, exports } from 'cloudflare:workers'
import { type DefaultTreeAdapterMap, parse } from 'parse5'
import { beforeAll, describe, expect, it } from 'vitest'
import { importImageKey, verifyImageProxyPath } from '../../src/shared/image-url.ts'
import { pageProblems } from '../support/render-safety.ts'
import { loadSite, manifest } from './load-site.ts'

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

const ORIGIN = 'http://example.com'
const SEED_FROM = 'https://www.zaobao.com/realtime/china/story20221115-1333258'
const SEED_IMAGE =
  'https://www.zaobao.com/s3fs-public/styles/article_large_full/public/2022-11/file7mw39clzwr5ddt6sblf.jpg?itok=a-m9EKWV'

function get(path: string): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`))
}

function elementsOf(root: Node, tag: string): Element[] {
  const out: Element[] = []
  const pending: Node[] = [root]
  while (pending.length > 0) {
    const node = pending.pop()!
    if ('tagName' in node && node.tagName === tag) out.push(node)
    if ('childNodes' in node) pending.push(...[...node.childNodes].reverse())
  }
  return out
}

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value
}

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

describe('every corpus post, served', () => {
  it('is a 200 page that is safe as a browser parses it, with every image through the proxy', async () => {
    const failures: string[] = []
    for (const post of manifest()) {
      const response = await get(post.url)
      const problems = pageProblems(await response.text(), { proxiedImages: true })
      if (response.status !== 200 || problems.length > 0)
        failures.push(`${post.file}: ${response.status} ${problems.slice(0, 3).join('; ')}`)
    }
    expect(failures).toEqual([])
    expect(manifest().length).toBeGreaterThanOrEqual(272)
  })
})
