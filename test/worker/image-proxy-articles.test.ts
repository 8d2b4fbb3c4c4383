/**
 * The proxy and the renderer together: every image of the seed post and of
 * every corpus post is served as a signed /img/ URL that this worker verifies
 * and whose source the proxy would fetch (with the production settings: no
 * allow-list). The real hosts are not contacted; fetching through the proxy
 * is tested against the local origin in image-proxy.test.ts.
 */
import { env, exports } from 'cloudflare:workers'
import { type DefaultTreeAdapterMap, parse } from 'parse5'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/shared/config.ts'
import { IMAGE_PROXY_PREFIX, importImageKey, verifyImageProxyPath } from '../../src/shared/image-url.ts'
import { refererFor } from '../../src/worker/image-proxy/referer.ts'
import { allowedSource } from '../../src/worker/image-proxy/upstream.ts'
import { loadSite, manifest } from './load-site.ts'

type Node = DefaultTreeAdapterMap['node']

/** Every image URL a browser would load from the page: img src/srcset, picture source srcset, video poster. */
function imageUrls(html: string): string[] {
  const urls: string[] = []
  const visit = (node: Node) => {
    if ('attrs' in node) {
      const attribute = (name: string) => node.attrs.find((a) => a.name === name)?.value
      const src =
        node.nodeName === 'img' ? attribute('src') : node.nodeName === 'video' ? attribute('poster') : undefined
      if (src) urls.push(src)
      const srcset = node.nodeName === 'img' || node.nodeName === 'source' ? attribute('srcset') : undefined
      if (srcset)
        urls.push(
          ...srcset
            .split(',')
            .map((candidate) => candidate.trim().split(/\s+/)[0])
            .filter(Boolean),
        )
    }
    if ('childNodes' in node) node.childNodes.forEach(visit)
    if ('content' in node) visit(node.content)
  }
  visit(parse(html))
  return urls.filter((url) => !url.startsWith('data:'))
}

beforeAll(loadSite)

describe('article images', () => {
  it('are all signed /img/ URLs of sources the proxy accepts', async () => {
    const key = await importImageKey(env.IMAGE_PROXY_KEY)
    const production = parseConfig({ ...env, IMAGE_PROXY_ALLOW_HOSTS: '' }).imageProxy
    const hosts = new Set<string>()
    let images = 0
    const checkPost = async (post: { url: string }) => {
      const response = await exports.default.fetch(new Request(`https://archive.example${post.url}`))
      expect(response.status, post.url).toBe(200)
      for (const url of imageUrls(await response.text())) {
        expect(url.startsWith(IMAGE_PROXY_PREFIX), `${post.url}: ${url}`).toBe(true)
        const source = await verifyImageProxyPath(key, url)
        expect(source, `${post.url}: ${url}`).not.toBeNull()
        hosts.add(allowedSource(source!, production).hostname)
        images++
      }
    }
    const posts = manifest()
    for (let i = 0; i < posts.length; i += 8) await Promise.all(posts.slice(i, i + 8).map(checkPost))
    // The seed and corpus carry some 2,400 image URLs on 15 hosts; every one got through.
    expect(images).toBeGreaterThan(500)
    expect(hosts.size).toBeGreaterThan(10)
  }, 180_000)

  it('include the seed’s image, fetched without a Referer as its source page asks', async () => {
    const seed = manifest().find((p) => p.file.endsWith('王毅谈习拜会：有利推动两国关系重回健康正轨.md'))!
    const html = await (await exports.default.fetch(new Request(`https://archive.example${seed.url}`))).text()
    const key = await importImageKey(env.IMAGE_PROXY_KEY)
    const sources = await Promise.all(imageUrls(html).map((url) => verifyImageProxyPath(key, url)))
    const image =
      'https://www.zaobao.com/s3fs-public/styles/article_large_full/public/2022-11/file7mw39clzwr5ddt6sblf.jpg?itok=a-m9EKWV'
    expect(sources).toContain(image)
    expect(refererFor(new URL(image), parseConfig(env).imageProxy.referers)).toBeNull()
  })
})
