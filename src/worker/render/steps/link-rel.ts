import type { ElementRewrite } from './types.ts'

/**
 * Links that leave this site get `rel="noopener noreferrer nofollow"`; links
 * within it (fragments, the mirrored copies of linked articles) stay plain.
 */
export const linkRel: ElementRewrite = (name, attributes, { config }) => {
  if (name !== 'a') return true
  const href = attributes.get('href')
  if (href && !isInternal(href, config.origin)) attributes.set('rel', 'noopener noreferrer nofollow')
  return true
}

function isInternal(href: string, origin: string): boolean {
  if (href.startsWith('#') || (href.startsWith('/') && !href.startsWith('//'))) return true
  return href === origin || href.startsWith(`${origin}/`)
}
