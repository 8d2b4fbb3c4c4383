import { EMBED_SANDBOX } from '../../../shared/html-policy.ts'
import type { ElementRewrite } from './types.ts'

/** Kept iframes (allowlisted players, checked by the serialiser) are always sandboxed and lazy. */
export const sandboxEmbeds: ElementRewrite = (name, attributes) => {
  if (name !== 'iframe') return true
  if (!attributes.has('src')) return false
  attributes.set('sandbox', EMBED_SANDBOX)
  attributes.set('loading', 'lazy')
  attributes.set('referrerpolicy', 'strict-origin-when-cross-origin')
  return true
}
