/**
 * What a response was built from: every KV read a request makes, recorded by
 * wrapping the binding. The ETag is a hash of these values and the Cache-Tag
 * lists their keys, so neither can forget an input a route author forgot.
 */

export interface KvRead {
  key: string
  /** The value as text; null when the key is absent. */
  text: string | null
}

export interface ReadLog {
  reads: KvRead[]
  /** Reads whose value was not seen as text (list, metadata, streams…): such a response cannot be versioned. */
  unversioned: string[]
}

/** `kv`, recording into `log` every value it returns. */
export function recordingKv(kv: KVNamespace, log: ReadLog): KVNamespace {
  const get = async (key: unknown, options?: unknown): Promise<unknown> => {
    const type = typeof options === 'string' ? options : (options as { type?: string } | undefined)?.type
    if (typeof key !== 'string' || (type !== undefined && type !== 'text' && type !== 'json')) {
      log.unversioned.push(`get(${String(key)}, ${String(type)})`)
      return (kv.get as (k: unknown, o?: unknown) => Promise<unknown>)(key, options)
    }
    const textOptions: KVNamespaceGetOptions<'text'> =
      typeof options === 'object' ? { ...(options as KVNamespaceGetOptions<'text'>), type: 'text' } : { type: 'text' }
    const text = await kv.get(key, textOptions)
    log.reads.push({ key, text })
    return type === 'json' && text !== null ? JSON.parse(text) : text
  }
  return new Proxy(kv, {
    get(target, property) {
      if (property === 'get') return get
      const value = Reflect.get(target, property) as unknown
      if (typeof value !== 'function') return value
      // Any other method (list, getWithMetadata, put…) passes through, and its result is not versioned.
      return (...args: unknown[]) => {
        log.unversioned.push(String(property))
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
}
