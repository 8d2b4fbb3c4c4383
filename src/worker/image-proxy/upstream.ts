import type { ImageProxyConfig } from '../../shared/config.ts'
import { isPublicHost } from './address.ts'
import { isAllowedHost } from './allow-list.ts'
import { ProxyError } from './proxy-error.ts'
import { refererFor } from './referer.ts'
import { SNIFF_BYTES, sniffImage } from './sniff.ts'
import { limitBytes, peek } from './stream.ts'

const MAX_REDIRECTS = 4
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Upstream sees only these: no client cookies, credentials or other headers. */
const ACCEPT = 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8'
const USER_AGENT = 'Mozilla/5.0 (compatible; edge-news-archive image proxy)'

/** Headers a proxied image is served with, whatever upstream sent. */
const IMAGE_HEADERS = {
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
  // An SVG opened directly can run no script and load nothing.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
}

export interface FetchedImage {
  /** The headers to serve it with. */
  headers: Headers
  /** The image, streaming through the size limit. */
  body: ReadableStream<Uint8Array>
  /** Its length when upstream declared it. */
  length: number | null
  /** Whether the body has streamed to its end within the limits (see stream.ts limitBytes). */
  complete(): boolean
}

/**
 * Fetches `source` and checks it is an image within the limits. The time limit covers redirects, headers and the
 * first bytes; the body then streams on. Throws ProxyError for every refusal
 * and failure.
 */
export async function fetchImage(source: string, settings: ImageProxyConfig): Promise<FetchedImage> {
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(), settings.timeoutMs)
  let upstream: Response | undefined
  try {
    upstream = await followRedirects(allowedSource(source, settings), settings, deadline.signal)
    return await imageResponse(upstream, settings)
  } catch (error) {
    await upstream?.body?.cancel().catch(() => {})
    if (error instanceof ProxyError) throw error
    if (deadline.signal.aborted) throw new ProxyError(504, 'upstream timed out')
    throw new ProxyError(502, 'upstream unreachable')
  } finally {
    clearTimeout(timer)
  }
}

/** An http(s) URL on a public host (or an allow-listed one), else 403. */
export function allowedSource(href: string, settings: ImageProxyConfig): URL {
  const url = URL.parse(href)
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new ProxyError(403, 'source URL not allowed')
  }
  if (!isPublicHost(url.hostname) && !isAllowedHost(url, settings.allowHosts))
    throw new ProxyError(403, 'source host not allowed')
  return url
}

async function followRedirects(start: URL, settings: ImageProxyConfig, signal: AbortSignal): Promise<Response> {
  // The Referer belongs to the image as the article names it, not to where it redirects.
  const referer = refererFor(start, settings.referers)
  const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': USER_AGENT, ...(referer && { referer }) }
  let url = start
  for (let redirects = 0; ; redirects++) {
    const response = await fetch(url, { headers, redirect: 'manual', signal })
    if (!REDIRECT_STATUSES.has(response.status)) return response
    await response.body?.cancel()
    const location = response.headers.get('location')
    if (location === null) throw new ProxyError(502, 'redirect without location')
    if (redirects === MAX_REDIRECTS) throw new ProxyError(502, 'too many redirects')
    // Every hop is judged like the source itself.
    url = allowedSource(new URL(location, url).href, settings)
  }
}

/** The image as served: sniffed type, passed-through validators, streaming through the size limit. */
async function imageResponse(upstream: Response, settings: ImageProxyConfig): Promise<FetchedImage> {
  if (upstream.status === 404 || upstream.status === 410) throw new ProxyError(404, 'image not found upstream')
  if (upstream.status !== 200 || !upstream.body) throw new ProxyError(502, 'upstream failed')
  // With a Content-Encoding, Content-Length counts encoded bytes; fetch() hands over decoded ones.
  const declaredLength = upstream.headers.get('content-length')
  const length = upstream.headers.has('content-encoding') || !/^\d+$/.test(declaredLength ?? '') ? null : declaredLength
  if (length !== null && Number(length) > settings.maxBytes) throw new ProxyError(413, 'image too large')

  const { head, body } = await peek(upstream.body, SNIFF_BYTES)
  const type = sniffImage(head, upstream.headers.get('content-type'))
  if (type === null) {
    await body.cancel()
    throw new ProxyError(502, 'upstream sent no image')
  }
  const headers = new Headers(IMAGE_HEADERS)
  headers.set('content-type', type)
  if (length !== null) headers.set('content-length', length)
  for (const name of ['etag', 'last-modified']) {
    const value = upstream.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  const limit = limitBytes(settings.maxBytes)
  return {
    headers,
    body: body.pipeThrough(limit.stream),
    length: length === null ? null : Number(length),
    complete: limit.complete,
  }
}
