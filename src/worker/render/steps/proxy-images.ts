import { parseSrcset, serialiseSrcset } from '../../../shared/html-policy.ts'
import { imageProxyPath } from '../../../shared/image-url.ts'
import { servedAsIs } from '../../../shared/page-images.ts'
import type { ElementRewrite } from './types.ts'

/** Signs every source URL once (the same image often appears in several srcsets). */
export async function signImages(urls: Iterable<string>, key: CryptoKey): Promise<Map<string, string>> {
  const unique = [...new Set(urls)]
  const paths = await Promise.all(unique.map((url) => imageProxyPath(key, url)))
  return new Map(unique.map((url, i) => [url, paths[i]]))
}

/**
 * Images load through this site's proxy (/img/<signature>/<source>): `src`,
 * every `srcset` candidate (img and picture's source) and a video's `poster`.
 * Inline `data:` images and this site's own paths stay; anything unsigned is dropped.
 */
export const proxyImages: ElementRewrite = (name, attributes, { proxied }) => {
  const srcAttribute = name === 'img' ? 'src' : name === 'video' ? 'poster' : null
  if (srcAttribute) {
    const src = attributes.get(srcAttribute)
    const path = src && (servedAsIs(src) ? src : proxied.get(src))
    if (path) attributes.set(srcAttribute, path)
    else attributes.delete(srcAttribute)
  }
  const srcset = name === 'img' || name === 'source' ? attributes.get('srcset') : undefined
  if (srcset !== undefined) {
    const candidates = parseSrcset(srcset).flatMap((c) => {
      const path = servedAsIs(c.url) ? c.url : proxied.get(c.url)
      return path ? [{ ...c, url: path }] : []
    })
    if (candidates.length > 0) attributes.set('srcset', serialiseSrcset(candidates))
    else attributes.delete('srcset')
  }
  return name !== 'img' || attributes.has('src') || attributes.has('srcset')
}
