import { isDataImage, parseSrcset, safeUrl } from './html-policy.ts'

/**
 * Which image URLs a page shows, decided once for the renderer (which signs
 * them for the proxy) and the build (which records them for the archive to
 * capture): `src` of an img, a video's `poster`, and every srcset candidate.
 */
export function imageUrlsOf(name: string, get: (attribute: string) => string | null): string[] {
  const urls: string[] = []
  const src = name === 'img' ? get('src') : name === 'video' ? get('poster') : null
  if (src) urls.push(src)
  const srcset = name === 'img' || name === 'source' ? get('srcset') : null
  if (srcset) for (const candidate of parseSrcset(srcset)) urls.push(candidate.url)
  return urls.flatMap((url) => {
    const safe = safeUrl(url, 'media')
    return safe && !servedAsIs(safe) ? [safe] : []
  })
}

/** Inline images need no request, and this site's own paths no proxy. */
export function servedAsIs(url: string): boolean {
  return isDataImage(url) || (url.startsWith('/') && !url.startsWith('//'))
}
