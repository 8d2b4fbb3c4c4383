import { EMBED_SANDBOX, safeUrl } from '../../../shared/html-policy.ts'
import type { Step } from '../step.ts'
import { createElement, type Element, elements, remove, replaceWith, Text } from '../tree.ts'

/**
 * Iframes: video players from EMBED_HOSTS stay, sandboxed and lazy; an
 * Embedly wrapper around one is replaced by the player itself; any other
 * iframe becomes a plain link to what it showed.
 */
export const embeds: Step = (root, { source }) => {
  for (const iframe of elements(root).filter((e) => e.name === 'iframe')) {
    const raw = iframe.attribs.src || iframe.attribs['data-src'] || ''
    const target = unwrapEmbedly(safeUrl(raw, 'media', source?.href))
    if (!target) remove(iframe)
    else if (safeUrl(target, 'embed')) keepPlayer(iframe, target)
    else replaceWith(iframe, [createElement('a', { href: target }, [new Text(target)])])
  }
}

function keepPlayer(iframe: Element, src: string): void {
  const { width, height, title } = iframe.attribs
  iframe.attribs = {
    src,
    ...(width && { width }),
    ...(height && { height }),
    ...(title && { title }),
    sandbox: EMBED_SANDBOX,
    loading: 'lazy',
    referrerpolicy: 'strict-origin-when-cross-origin',
    allowfullscreen: '',
  }
  iframe.children = []
}

/** Embedly's media.html carries the real player URL in its `src` parameter. */
function unwrapEmbedly(url: string | null): string | null {
  if (!url) return null
  const parsed = new URL(url)
  if (parsed.hostname !== 'cdn.embedly.com') return url
  return safeUrl(parsed.searchParams.get('src') ?? '', 'media') ?? url
}
