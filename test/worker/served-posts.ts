import { env, exports } from 'cloudflare:workers'
import { parseHTML } from 'linkedom'
import { expect } from 'vitest'
import { parseConfig } from '../../src/shared/config.ts'
import { IMAGE_PROXY_PREFIX, importImageKey, verifyImageProxyPath } from '../../src/shared/image-url.ts'
import { allowedSource } from '../../src/worker/image-proxy/upstream.ts'
import { imageUrls } from '../support/html-tree.ts'
import { pageProblems } from '../support/render-safety.ts'

interface Post {
  url: string
  file: string
  title: string
}

/**
 * Serves every post through the worker (eight at a time) and checks each
 * page: a 200 with the post's title, safe as a browser parses it, every image
 * a signed /img/ URL of a source the proxy accepts with the production
 * settings (no allow-list). Returns the failures, and what images were seen.
 */
export async function checkServedPosts(posts: readonly Post[]) {
  const key = await importImageKey(env.IMAGE_PROXY_KEY)
  const production = parseConfig({ ...env, IMAGE_PROXY_ALLOW_HOSTS: '' }).imageProxy
  const failures: string[] = []
  const hosts = new Set<string>()
  let images = 0
  const check = async (post: Post) => {
    const response = await exports.default.fetch(new Request(`https://archive.example${post.url}`))
    const html = await response.text()
    const title = parseHTML(html).document.querySelector('h1')?.textContent
    const problems = pageProblems(html, { proxiedImages: true })
    if (response.status !== 200 || title !== post.title || problems.length > 0)
      failures.push(`${post.file}: ${response.status} ${title} ${problems.slice(0, 3).join('; ')}`)
    for (const url of imageUrls(html)) {
      expect(url.startsWith(IMAGE_PROXY_PREFIX), `${post.url}: ${url}`).toBe(true)
      const source = await verifyImageProxyPath(key, url)
      expect(source, `${post.url}: ${url}`).not.toBeNull()
      hosts.add(allowedSource(source!, production).hostname)
      images++
    }
  }
  for (let i = 0; i < posts.length; i += 8) await Promise.all(posts.slice(i, i + 8).map(check))
  return { failures, images, hosts }
}
