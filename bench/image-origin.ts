import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ImageOrigin {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** `127.0.0.1:<port>`, for IMAGE_PROXY_ALLOW_HOSTS. */
  host: string
  /** Requests served so far. */
  requests(): number
  close(): Promise<void>
}

/** A news photo's typical size. */
export const IMAGE_BYTES = 64 * 1024

/**
 * A stand-in for a news site's image host, on 127.0.0.1: every path is the
 * same JPEG-signed body of a photo's size (the proxy checks the signature,
 * not the pixels), cacheable for a day. Counts requests, so the bench can
 * tell cache hits from trips to the origin.
 */
export async function startImageOrigin(): Promise<ImageOrigin> {
  const body = new Uint8Array(IMAGE_BYTES)
  body.set([0xff, 0xd8, 0xff, 0xe0])
  let requests = 0
  const server = createServer((_req, res) => {
    requests++
    res.writeHead(200, {
      'content-type': 'image/jpeg',
      'content-length': body.byteLength,
      'cache-control': 'public, max-age=86400',
    })
    res.end(body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
