/**
 * Cache tags: a response is tagged with the KV keys it was built from
 * (`post:<slug>`, `list:tag:<name>`, `index:tags`, …), so a deploy purges
 * exactly the responses built from the keys it wrote or deleted.
 *
 * No Workers APIs here: the deploy tool (Node) imports this module too.
 */

/**
 * The tag of a KV key: the key, with every byte outside visible ASCII, and
 * the comma, space and percent sign, percent-encoded (UTF-8). Cache-Tag is a
 * comma-separated header field without spaces; tag names such as CJK tags
 * must survive it.
 */
export function cacheTag(key: string): string {
  let tag = ''
  for (const char of key) {
    tag += /^[\x21-\x7e]$/.test(char) && char !== ',' && char !== '%' ? char : percentEncode(char)
  }
  return tag
}

function percentEncode(char: string): string {
  return [...new TextEncoder().encode(char)]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('')
}

/** The tags to purge after a deploy changed (wrote or deleted) these keys; the deploy tool's `CacheTagsFor`. */
export function cacheTagsFor(changedKeys: readonly string[]): string[] {
  if (changedKeys.length === 0) return []
  return [...new Set([...changedKeys.map(cacheTag), CATCH_ALL_TAG])].sort()
}

/**
 * Cache-Tag must stay under 16 KB and 1,000 tags (Cloudflare). A response
 * built from more keys than fit is not tagged key by key; it gets `CATCH_ALL_TAG`,
 * which every deploy that changes anything purges.
 */
export const MAX_CACHE_TAG_BYTES = 15 * 1024
export const CATCH_ALL_TAG = 'site'

/** The Cache-Tag value of a response built from these keys. */
export function cacheTagHeader(keys: readonly string[]): string {
  const header = [...new Set(keys.map(cacheTag))].sort().join(',')
  return header.length <= MAX_CACHE_TAG_BYTES ? header : CATCH_ALL_TAG
}
