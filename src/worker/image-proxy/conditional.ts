/**
 * Conditional GET (RFC 9110 §13): If-None-Match, or else If-Modified-Since,
 * against the image's ETag and Last-Modified.
 */
export function isNotModified(request: Headers, image: Headers): boolean {
  const ifNoneMatch = request.get('if-none-match')
  if (ifNoneMatch !== null) {
    const etag = image.get('etag')
    if (etag === null) return false
    // Weak comparison, as for GET.
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag))
  }
  const since = Date.parse(request.get('if-modified-since') ?? '')
  const modified = Date.parse(image.get('last-modified') ?? '')
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since
}

function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '')
}

/** Headers a 304 repeats from the full response. */
const NOT_MODIFIED_HEADERS = ['etag', 'last-modified', 'cache-control', 'content-security-policy', 'x-content-type-options']

export function notModified(image: Headers): Response {
  const headers = new Headers()
  for (const name of NOT_MODIFIED_HEADERS) {
    const value = image.get(name)
    if (value !== null) headers.set(name, value)
  }
  return new Response(null, { status: 304, headers })
}
