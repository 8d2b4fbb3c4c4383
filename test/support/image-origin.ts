/**
 * The local image origin every suite uses: a real HTTP server on 127.0.0.1
 * standing in for the news sites' image hosts. It logs every request (but its
 * own control paths, `/__…`); `GET /__requests` returns that log as JSON, for
 * tests in another process (workerd) to count what reached the origin and see
 * the headers it got. What it serves is the caller's: the workerd tests'
 * fixtures (below, and this module's vitest global setup), the browser
 * suite's hotlink-guarded PNGs (test/e2e/harness/image-origin.ts), the
 * bench's photo-sized JPEG (bench/sections/requests.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import {
  ARTICLE_REFERER,
  BIG_BYTES,
  bytesOf,
  ETAG,
  HTML_ERROR_PAGE,
  IMAGES,
  type ImageName,
  LAST_MODIFIED,
  type LoggedRequest,
  SCRIPTED_SVG,
  UPSTREAM_ERROR_TEXT,
} from './image-fixtures.ts'

export interface ImageOrigin {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** `127.0.0.1:<port>`, for IMAGE_PROXY_ALLOW_HOSTS. */
  host: string
  /** Every request so far, in order (control paths aside). */
  log: readonly LoggedRequest[]
  close(): Promise<void>
}

/** What a request is answered with; `origin` is the server's own `http://127.0.0.1:<port>`. */
export type OriginHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  context: { url: URL; origin: string; log: readonly LoggedRequest[] },
) => void

export async function startImageOrigin(handle: OriginHandler): Promise<ImageOrigin> {
  const log: LoggedRequest[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin.invalid')
    if (url.pathname === '/__requests') return sendText(res, 200, 'application/json', JSON.stringify(log))
    if (!url.pathname.startsWith('/__'))
      log.push({ url: req.url ?? '/', method: req.method ?? '', headers: req.headers })
    handle(req, res, { url, origin, log })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    url: origin,
    host: `127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/*
 * The workerd tests' fixtures. Routing ignores the query string, so tests make
 * each source URL (and so each proxy cache entry) their own with `?case=…`.
 */

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, origin: string) => void

function sendImage(res: ServerResponse, name: ImageName): void {
  const body = bytesOf(IMAGES[name].base64)
  res.writeHead(200, {
    'content-type': IMAGES[name].type,
    'content-length': body.byteLength,
    etag: ETAG(name),
    'last-modified': LAST_MODIFIED,
    'set-cookie': 'origin-session=1',
  })
  res.end(body)
}

function sendText(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'content-type': type })
  res.end(text)
}

/** Writes `total` bytes starting with a JPEG signature, honouring backpressure. */
function sendLargeJpeg(res: ServerResponse, total: number, withLength: boolean): void {
  res.writeHead(200, { 'content-type': 'image/jpeg', ...(withLength && { 'content-length': total }) })
  const chunk = new Uint8Array(64 * 1024)
  chunk.set([0xff, 0xd8, 0xff, 0xe0])
  let sent = 0
  const write = () => {
    while (sent < total) {
      const size = Math.min(chunk.byteLength, total - sent)
      sent += size
      if (!res.write(chunk.subarray(0, size))) return void res.once('drain', write)
    }
    res.end()
  }
  res.on('close', () => (sent = total))
  write()
}

/** An image only served with the expected Referer (a hotlink guard); anything else gets 403. */
function guarded(name: ImageName, accepts: (referer: string | undefined, origin: string) => boolean): Handler {
  return (req, res, _url, origin) => {
    if (accepts(req.headers.referer, origin)) sendImage(res, name)
    else sendText(res, 403, 'text/plain', 'hotlinking not allowed')
  }
}

/** Requests per path+query, for /images/flaky.png and /images/once.png. */
const seen = new Map<string, number>()

const ROUTES: Record<string, Handler> = {
  '/images/photo.jpg': (_req, res) => sendImage(res, 'photo.jpg'),
  '/images/photo.png': (_req, res) => sendImage(res, 'photo.png'),
  '/images/photo.gif': (_req, res) => sendImage(res, 'photo.gif'),
  '/images/photo.webp': (_req, res) => sendImage(res, 'photo.webp'),
  // Declared as a generic binary type: the bytes decide.
  '/images/octet.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.end(bytesOf(IMAGES['photo.png'].base64))
  },
  '/images/script.svg': (_req, res) => sendText(res, 200, 'image/svg+xml', SCRIPTED_SVG),
  '/images/disguised.jpg': (_req, res) => sendText(res, 200, 'image/jpeg', HTML_ERROR_PAGE),
  '/images/text.png': (_req, res) => sendText(res, 200, 'text/html', HTML_ERROR_PAGE),
  '/images/big.jpg': (_req, res) => sendLargeJpeg(res, BIG_BYTES, true),
  '/images/big-chunked.jpg': (_req, res) => sendLargeJpeg(res, BIG_BYTES, false),
  '/images/hang.jpg': () => {
    // Never answers; the socket closes when the client gives up or the server stops.
  },
  '/images/missing.jpg': (_req, res) => sendText(res, 404, 'text/html', `<h1>Not found</h1>${UPSTREAM_ERROR_TEXT}`),
  '/images/broken.jpg': (_req, res) => sendText(res, 500, 'text/html', `<h1>Server error</h1>${UPSTREAM_ERROR_TEXT}`),
  // Fails the first time each URL is asked for, then works.
  '/images/flaky.png': (req, res) => {
    if (seen.get(req.url!) === 1) sendText(res, 500, 'text/plain', UPSTREAM_ERROR_TEXT)
    else sendImage(res, 'photo.png')
  },
  // The first request for each URL gets the image, later ones what `then` says: a status, or `hang` (no answer).
  '/images/once.png': (req, res, url) => {
    const then = url.searchParams.get('then') ?? '404'
    if (seen.get(req.url!) === 1) sendImage(res, 'photo.png')
    else if (then !== 'hang') sendText(res, Number(then), 'text/html', `<h1>Gone</h1>${UPSTREAM_ERROR_TEXT}`)
  },
  '/hotlink/own-origin.png': guarded('photo.png', (referer, origin) => referer === `${origin}/`),
  '/hotlink/article.png': guarded('photo.png', (referer) => referer === ARTICLE_REFERER),
  '/hotlink/no-referer.png': guarded('photo.png', (referer) => referer === undefined),
  // 302 to ?url=, as given.
  '/redirect-to': (_req, res, url) => {
    res.writeHead(302, { location: url.searchParams.get('url') ?? '/' })
    res.end()
  },
}

/** `/redirect/<n>/<path>`: n relative redirects in a row, then <path> (the query string is kept). */
function redirectChain(res: ServerResponse, url: URL): boolean {
  const match = /^\/redirect\/(\d+)(\/.*)$/.exec(url.pathname)
  if (!match) return false
  const left = Number(match[1]) - 1
  res.writeHead(301, { location: `${left > 0 ? `/redirect/${left}` : ''}${match[2]}${url.search}` })
  res.end()
  return true
}

/** The fixtures: ROUTES, redirect chains, 404 for the rest. */
export const fixtureImages: OriginHandler = (req, res, { url, origin }) => {
  seen.set(req.url!, (seen.get(req.url!) ?? 0) + 1)
  const handler = ROUTES[url.pathname]
  if (handler) handler(req, res, url, origin)
  else if (!redirectChain(res, url)) sendText(res, 404, 'text/plain', 'no such fixture')
}

/** vitest global setup: one origin for the whole run. */
export default async function setup(project: TestProject) {
  const origin = await startImageOrigin(fixtureImages)
  project.provide('imageOrigin', origin.url)
  return origin.close
}
