/**
 * The proxy and the renderer together, for the seed's image. That every image
 * of every post is served as a signed /img/ URL of a source the proxy accepts
 * is checked with the pages themselves (served-posts.ts, in render.test.ts and
 * corpus.test.ts). The real hosts are not contacted; fetching through the
 * proxy is tested against the local origin in image-proxy.test.ts.
 */
import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/shared/config.ts'
import { importImageKey, verifyImageProxyPath } from '../../src/shared/image-url.ts'
import { refererFor } from '../../src/worker/image-proxy/referer.ts'
import { imageUrls } from '../support/html-tree.ts'
import { loadSite, manifest } from './load-site.ts'

beforeAll(loadSite)

describe('article images', () => {
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
