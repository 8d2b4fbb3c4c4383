import { listedObject, listOptions } from '../../shared/image-archive.ts'
import type { LocalState } from '../local-state.ts'
import type { ArchiveBucket } from './worker-client.ts'

/**
 * The local state's IMAGES bucket, read and pruned in this process through
 * Miniflare (local-state.ts): listing it costs nothing locally, so a local
 * deploy settles its record against it every time.
 */
export function localArchiveBucket(state: LocalState, binding = 'IMAGES'): ArchiveBucket {
  return {
    async list(prefix, cursor) {
      const page = await (await state.r2(binding)).list(listOptions(prefix, cursor))
      return { objects: page.objects.map(listedObject), ...(page.truncated && { cursor: page.cursor }) }
    },
    async delete(keys) {
      await (await state.r2(binding)).delete(keys)
    },
  }
}
