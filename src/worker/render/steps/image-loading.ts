import type { ElementRewrite } from './types.ts'

/** Every image but the first loads lazily and decodes off the main thread; the first is likely above the fold. */
export const imageLoading: ElementRewrite = (name, attributes, state) => {
  if (name !== 'img') return true
  if (state.images++ === 0) {
    attributes.delete('loading')
    attributes.delete('decoding')
  } else {
    attributes.set('loading', 'lazy')
    attributes.set('decoding', 'async')
  }
  return true
}
