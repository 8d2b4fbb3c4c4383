/**
 * A refused or failed proxy request. The message is ours, short and fixed:
 * nothing from upstream is echoed back.
 */
export class ProxyError extends Error {
  constructor(
    readonly status: 403 | 404 | 405 | 412 | 413 | 414 | 500 | 502 | 504,
    message: string,
  ) {
    super(message)
  }
}

/** Plain text, never cached, never sniffed: a failure must not be stored as a success anywhere. */
export function errorResponse(error: ProxyError, extraHeaders?: HeadersInit): Response {
  const headers = new Headers(extraHeaders)
  headers.set('content-type', 'text/plain; charset=utf-8')
  headers.set('cache-control', 'no-store')
  headers.set('x-content-type-options', 'nosniff')
  return new Response(`${error.status} ${error.message}\n`, { status: error.status, headers })
}
