import { fitsKvKey } from '../../shared/schema.ts'
import type { KvReader } from '../kv.ts'

/**
 * What a response was built from: every KV value the request read. The ETag
 * is a hash of these values and the Cache-Tag lists their keys, so neither can
 * miss an input a route author forgot. The reader offers text reads only, so
 * every read can be versioned.
 */
export interface RecordedRead {
  key: string
  /** The value as text; null when the key is absent. */
  text: string | null
}

export interface RecordingKv extends KvReader {
  readonly reads: readonly RecordedRead[]
}

export function recordingKv(kv: KVNamespace): RecordingKv {
  const reads: RecordedRead[] = []
  return {
    reads,
    async text(key) {
      // No deploy can write such a key (a request path too long for one): absent, and nothing to record or purge.
      if (!fitsKvKey(key)) return null
      const text = await kv.get(key, 'text')
      reads.push({ key, text })
      return text
    },
  }
}
