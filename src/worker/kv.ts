/** How routes read KV: a value as text, null when the key is absent (see cache/recording-kv.ts). */
export interface KvReader {
  text(key: string): Promise<string | null>
}

/** Typed reads from KV: a value is there and well-formed, absent, or corrupt — never a thrown parse error. */
export type KvRead<T> =
  | { ok: true; value: T }
  | { ok: false; missing: true }
  | { ok: false; missing: false; reason: string }

export async function readJson<T>(
  kv: KvReader,
  key: string,
  isValid: (value: unknown) => value is T,
): Promise<KvRead<T>> {
  const text = await kv.text(key)
  if (text === null) return { ok: false, missing: true }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, missing: false, reason: `${key}: not JSON (${(err as Error).message})` }
  }
  if (!isValid(value))
    return { ok: false, missing: false, reason: `${key}: not of the expected shape or schema version` }
  return { ok: true, value }
}
