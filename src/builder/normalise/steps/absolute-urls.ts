import { parseSrcset, SRCSET_ATTRIBUTES, serialiseSrcset, URL_ATTRIBUTES } from '../../../shared/html-policy.ts'
import type { NormaliseContext, Step } from '../step.ts'
import { elements } from '../tree.ts'

/**
 * Relative and protocol-relative URLs resolve against the source article, so
 * `/s3fs-public/a.jpg` on zaobao.com becomes `https://www.zaobao.com/s3fs-public/a.jpg`.
 * Fragment links stay in the page. Links to an article that is itself mirrored
 * here point at the mirrored copy.
 */
export const absoluteUrls: Step = (root, context) => {
  const base = context.source?.href
  for (const element of elements(root)) {
    const attribs = element.attribs
    for (const name in attribs) {
      if (name in URL_ATTRIBUTES) {
        const value = attribs[name].trim()
        if (!value.startsWith('#') && !value.startsWith('data:')) attribs[name] = resolve(value, base, context)
      } else if (SRCSET_ATTRIBUTES.has(name)) {
        const candidates = parseSrcset(attribs[name]).map((c) => ({ ...c, url: resolve(c.url, base, context) }))
        attribs[name] = serialiseSrcset(candidates)
      }
    }
  }
}

function resolve(value: string, base: string | undefined, { localLinks, linkTargets }: NormaliseContext): string {
  let url: URL
  try {
    url = new URL(value, base)
  } catch {
    return value // left for the sanitiser to drop
  }
  // The article's own source (its heading link) stays the source.
  if (base && url.href === base) return url.href
  const key = linkKey(url.href)
  linkTargets.add(key)
  return localLinks.get(key) ?? url.href
}

/**
 * The form under which source URLs are compared: scheme-less, no query or
 * fragment, no trailing slash, percent-decoding case-folded (`%E4` = `%e4`).
 */
export function linkKey(href: string): string {
  try {
    const url = new URL(href)
    return `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}`.replace(/%[0-9a-f]{2}/gi, (m) =>
      m.toUpperCase(),
    )
  } catch {
    return href
  }
}
