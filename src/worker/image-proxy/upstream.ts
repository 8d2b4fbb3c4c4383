import type { ImageProxyConfig } from '../../shared/config.ts'
import { isPublicHost } from './address.ts'
import { isAllowedHost } from './allow-list.ts'
import { collectBytes } from './collect.ts'
import { ProxyError } from './proxy-error.ts'
import { refererFor } from './referer.ts'
import { SNIFF_BYTES, sniffImage } from './sniff.ts'
import { limitBytes, peek, TooLarge } from './stream.ts'

const MAX_REDIRECTS = 4
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Upstream sees only these: no client cookies, credentials or other headers. */
const ACCEPT = 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8'
const USER_AGENT = 'Mozilla/5.0 (compatible; edge-news-archive image proxy)'

/** Headers a proxied image is served with, whatever upstream sent. */
export const IMAGE_HEADERS = {
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

/** A whole image in memory (for the archive, which names it by the hash of its bytes). */
export interface BufferedImage {
  headers: Headers
  bytes: Uint8Array<ArrayBuffer>
}

/**
 * Fetches `source` and checks it is an image within the limits. The time limit covers redirects, headers and the
 * first bytes; the body then streams on. Throws ProxyError for every refusal
 * and failure.
 */
export function fetchImage(source: string, settings: ImageProxyConfig): Promise<FetchedImage> {
  return fetchChecked(source, settings, (upstream, length) => streamingImage(upstream, length, settings))
}

/**
 * The same fetch, read whole: the body (at most `maxBytes`) gets the time limit
 * once more after the headers. Natively read when upstream declared its length
 * (several times less CPU than a JavaScript loop over chunks), sniffed as the
 * stream is. Throws ProxyError as fetchImage does.
 */
export function fetchImageBytes(source: string, settings: ImageProxyConfig): Promise<BufferedImage> {
  return fetchChecked(source, settings, async (upstream, length, restartClock) => {
    restartClock()
    const bytes = await readWhole(upstream, length, settings.maxBytes)
    const type = sniffImage(bytes.subarray(0, SNIFF_BYTES), upstream.headers.get('content-type'))
    if (type === null) throw new ProxyError(502, 'upstream sent no image')
    return { headers: imageHeaders(type, upstream, bytes.byteLength), bytes }
  })
}

type ReadUpstream<T> = (upstream: Response, length: number | null, restartClock: () => void) => Promise<T>

/** Follows redirects to a 200 within the size limit, then `read`s it, all within the time limit. */
async function fetchChecked<T>(source: string, settings: ImageProxyConfig, read: ReadUpstream<T>): Promise<T> {
  const deadline = new AbortController()
  let timer = setTimeout(() => deadline.abort(), settings.timeoutMs)
  const restartClock = () => {
    clearTimeout(timer)
    timer = setTimeout(() => deadline.abort(), settings.timeoutMs)
  }
  let upstream: Response | undefined
  try {
    upstream = await followRedirects(allowedSource(source, settings), settings, deadline.signal)
    return await read(upstream, checkedLength(upstream, settings), restartClock)
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

/** A 200 with a body, not declared larger than the limit: its declared length, or null when unknown. */
function checkedLength(upstream: Response, settings: ImageProxyConfig): number | null {
  if (upstream.status === 404 || upstream.status === 410) throw new ProxyError(404, 'image not found upstream')
  if (upstream.status !== 200 || !upstream.body) throw new ProxyError(502, 'upstream failed')
  // With a Content-Encoding, Content-Length counts encoded bytes; fetch() hands over decoded ones.
  const declared = upstream.headers.get('content-length')
  if (upstream.headers.has('content-encoding') || !/^\d+$/.test(declared ?? '')) return null
  const length = Number(declared)
  if (length > settings.maxBytes) throw new ProxyError(413, 'image too large')
  return length
}

/** The image as served: sniffed type, passed-through validators, streaming through the size limit. */
async function streamingImage(
  upstream: Response,
  length: number | null,
  settings: ImageProxyConfig,
): Promise<FetchedImage> {
  const { head, body } = await peek(upstream.body as ReadableStream<Uint8Array>, SNIFF_BYTES)
  const type = sniffImage(head, upstream.headers.get('content-type'))
  if (type === null) {
    await body.cancel()
    throw new ProxyError(502, 'upstream sent no image')
  }
  const limit = limitBytes(settings.maxBytes)
  return {
    headers: imageHeaders(type, upstream, length),
    body: body.pipeThrough(limit.stream),
    length,
    complete: limit.complete,
  }
}

/** The proxy's headers, the sniffed type, the length when known and upstream's validators. */
function imageHeaders(type: string, upstream: Response, length: number | null): Headers {
  const headers = new Headers(IMAGE_HEADERS)
  headers.set('content-type', type)
  if (length !== null) headers.set('content-length', String(length))
  for (const name of ['etag', 'last-modified']) {
    const value = upstream.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  return headers
}

/** The whole body, at most `maxBytes`: natively when its length is declared, else chunk by chunk with a running total. */
async function readWhole(
  upstream: Response,
  length: number | null,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (length !== null) {
    const bytes = new Uint8Array(await upstream.arrayBuffer())
    if (bytes.byteLength !== length) throw new ProxyError(502, 'upstream failed')
    return bytes
  }
  try {
    return await collectBytes(upstream.body as ReadableStream<Uint8Array>, maxBytes)
  } catch (error) {
    if (error instanceof TooLarge) throw new ProxyError(413, 'image too large')
    throw error
  }
}
