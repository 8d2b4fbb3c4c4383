import { evaluatePreconditions, notModified } from '../cache/preconditions.ts'
import { parseHttpDate } from '../cache/validators.ts'
import { errorResponse, ProxyError } from './proxy-error.ts'

/** Headers of the image a 304 repeats besides the caching fields, so a browser's stored copy keeps its policy. */
const IMAGE_POLICY_HEADERS = ['content-security-policy', 'x-content-type-options']

/**
 * The answer to a conditional GET/HEAD (RFC 9110 §13, evaluated as for the
 * site's pages) against the image's ETag and Last-Modified, or null to send
 * the image.
 */
export function preconditionResponse(request: Headers, image: Headers): Response | null {
  const lastModified = parseHttpDate(image.get('last-modified') ?? '') ?? undefined
  // Without an ETag from upstream, '' stands for none: it matches no entity-tag (only `*`).
  const result = evaluatePreconditions(request, { etag: image.get('etag') ?? '', lastModified })
  if (result === 'send') return null
  if (result === 'precondition-failed') return errorResponse(new ProxyError(412, 'precondition failed'))
  const response = notModified(image)
  for (const name of IMAGE_POLICY_HEADERS) {
    const value = image.get(name)
    if (value !== null) response.headers.set(name, value)
  }
  return response
}
