import { parseEtagList, parseHttpDate, strongMatch, toSeconds, weakMatch } from './validators.ts'

/** The validators of the representation a GET or HEAD would send. */
export interface CurrentValidators {
  etag: string
  /** Milliseconds since the epoch, when the response has a Last-Modified. */
  lastModified?: number
}

export type PreconditionResult = 'send' | 'not-modified' | 'precondition-failed'

/** The validators a response's headers carry, or null without an ETag. */
export function validatorsOf(headers: Headers): CurrentValidators | null {
  const etag = headers.get('etag')
  if (etag === null) return null
  const lastModified = headers.get('last-modified')
  return { etag, lastModified: lastModified === null ? undefined : Date.parse(lastModified) }
}

/**
 * Evaluates the preconditions of a GET or HEAD in the order of RFC 9110
 * §13.2.2: If-Match, else If-Unmodified-Since; then If-None-Match, else
 * If-Modified-Since. Only for a response that would be 2xx; others ignore
 * preconditions (§13.2.1).
 */
export function evaluatePreconditions(request: Headers, current: CurrentValidators): PreconditionResult {
  const ifMatch = request.get('if-match')
  if (ifMatch !== null) {
    const tags = parseEtagList(ifMatch)
    if (tags !== '*' && !tags.some((tag) => strongMatch(serialise(tag), current.etag))) return 'precondition-failed'
  } else {
    const since = dateField(request, 'if-unmodified-since')
    if (since !== null && current.lastModified !== undefined && toSeconds(current.lastModified) > toSeconds(since)) {
      return 'precondition-failed'
    }
  }

  const ifNoneMatch = request.get('if-none-match')
  if (ifNoneMatch !== null) {
    const tags = parseEtagList(ifNoneMatch)
    return tags === '*' || tags.some((tag) => weakMatch(serialise(tag), current.etag)) ? 'not-modified' : 'send'
  }
  // If-Modified-Since counts only without If-None-Match (§13.1.3).
  const since = dateField(request, 'if-modified-since')
  if (since !== null && current.lastModified !== undefined && toSeconds(current.lastModified) <= toSeconds(since)) {
    return 'not-modified'
  }
  return 'send'
}

function serialise(tag: { weak: boolean; opaque: string }): string {
  return tag.weak ? `W/${tag.opaque}` : tag.opaque
}

/** A date precondition; an invalid date (or a list of them) is ignored, as the RFC requires. */
function dateField(request: Headers, name: string): number | null {
  const value = request.get(name)
  return value === null ? null : parseHttpDate(value)
}

/** Fields a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5), plus those caches and our own middleware use. */
const NOT_MODIFIED_FIELDS = [
  'cache-control',
  'cdn-cache-control',
  'etag',
  'last-modified',
  'cache-tag',
  'vary',
  'expires',
  'content-location',
  // Not required; kept so response middleware (security headers) chooses the same policy as for the 200,
  // which a browser merges into its stored copy.
  'content-type',
]

/** A 304 for a response with these headers: no body, the same validators and caching fields. */
export function notModified(headers: Headers): Response {
  const kept = new Headers()
  for (const name of NOT_MODIFIED_FIELDS) {
    const value = headers.get(name)
    if (value !== null) kept.set(name, value)
  }
  return new Response(null, { status: 304, headers: kept })
}

/** What a GET or HEAD answers in place of its 200, given the verdict on its preconditions; null: the 200. */
export function conditionalAnswer(result: PreconditionResult, headers: Headers): Response | null {
  if (result === 'not-modified') return notModified(headers)
  // Says nothing about the resource's current state, so no cache may keep it.
  if (result === 'precondition-failed')
    return new Response(null, { status: 412, headers: { 'cache-control': 'no-store' } })
  return null
}
