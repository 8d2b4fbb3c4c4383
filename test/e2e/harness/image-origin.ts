import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { type ImageOrigin, type OriginHandler, startImageOrigin } from '../../support/image-origin.ts'
import { stripedPng } from './png.ts'

/** What the origin has seen, for tests to read back over HTTP at STATS_PATH. */
export interface OriginStats {
  requests: number
  /** Requests refused for their Referer (hotlinking). */
  refused: number
  referers: Record<string, number>
  /** Request headers that a proxy must not forward from readers. */
  leakedHeaders: string[]
}

export const STATS_PATH = '/__e2e/stats'

/**
 * A stand-in for the news sites' image hosts, on 127.0.0.1 (the shared
 * test/support/image-origin.ts server): every path is a PNG (sized and
 * coloured by the path), served only to requests whose Referer is exactly this
 * origin's own (`http://127.0.0.1:<port>/`), the strictest kind of hotlink
 * guard. Anything else — no Referer, or the reader's page forwarded — gets the
 * 403 such sites send, so images load only when the proxy's per-host Referer
 * setting (IMAGE_PROXY_REFERERS `127.0.0.1=origin`) is applied.
 */
export function startE2eImageOrigin(): Promise<ImageOrigin> {
  return startImageOrigin(hotlinkGuardedPngs())
}

function hotlinkGuardedPngs(): OriginHandler {
  const images = new Map<string, Buffer>()
  return (req, res, { url, origin, log }) => {
    if (url.pathname === STATS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify(stats(log, origin)))
      return
    }
    if (req.headers.referer !== `${origin}/`) {
      res.writeHead(403, { 'content-type': 'text/html' })
      res.end('<h1>Hotlinking forbidden</h1>')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const path = req.url ?? '/'
    let png = images.get(path)
    if (!png) {
      png = imageFor(path)
      images.set(path, png)
    }
    res.writeHead(200, {
      'content-type': 'image/png',
      'content-length': png.length,
      'cache-control': 'public, max-age=86400',
      etag: `"${createHash('sha1').update(png).digest('hex').slice(0, 16)}"`,
    })
    res.end(req.method === 'HEAD' ? undefined : png)
  }
}

function stats(log: readonly { headers: IncomingMessage['headers'] }[], origin: string): OriginStats {
  const result: OriginStats = { requests: log.length, refused: 0, referers: {}, leakedHeaders: [] }
  for (const { headers } of log) {
    const referer = headers.referer ?? ''
    if (referer !== `${origin}/`) result.refused++
    result.referers[referer || '(none)'] = (result.referers[referer || '(none)'] ?? 0) + 1
    for (const name of LEAKED)
      if (name in headers && !result.leakedHeaders.includes(name)) result.leakedHeaders.push(name)
  }
  return result
}

/** Size and colour follow from the path, so one URL is always the same image. */
function imageFor(path: string): Buffer {
  const hash = createHash('sha1').update(path).digest()
  const width = 320 + (hash.readUInt16BE(0) % 640)
  const height = 180 + (hash.readUInt16BE(2) % 360)
  return stripedPng(width, height, hash.readUInt32BE(4))
}

/** Reader-side headers that have no business reaching a third-party image host. */
const LEAKED = ['cookie', 'authorization', 'cf-connecting-ip', 'x-forwarded-for', 'x-real-ip']
