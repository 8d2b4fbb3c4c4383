import { parseSrcset, serialiseSrcset } from '../../../shared/html-policy.ts'
import { imageProxyPath } from '../../../shared/image-url.ts'
import { servedAsIs } from '../../../shared/page-images.ts'
import type { ElementRewrite } from './types.ts'

/** Source URL → its proxy path, each URL signed once per page. */
export type ImageSigner = (url: string) => Promise<string>

/**
 * A signer for one page: the head's lead image is nearly always the body's
 * first image (234 of the corpus's 271 posts), and one HMAC is a good part of
 * a small page's render.
 */
export function imageSigner(key: CryptoKey): ImageSigner {
  const signed = new Map<string, Promise<string>>()
  return (url) => {
    let path = signed.get(url)
    if (!path) {
      path = imageProxyPath(key, url)
      signed.set(url, path)
    }
    return path
  }
}

/** Signs every source URL (the same image often appears in several srcsets). */
export async function signImages(urls: Iterable<string>, sign: ImageSigner): Promise<Map<string, string>> {
  const unique = [...new Set(urls)]
  const paths = await Promise.all(unique.map(sign))
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
