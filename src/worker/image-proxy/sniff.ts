/**
 * What an upstream body really is, from its first bytes: the proxy passes
 * images only, whatever the Content-Type claims (an HTML error page labelled
 * image/jpeg is refused).
 */

/** Bytes needed to recognise any format below. */
export const SNIFF_BYTES = 1024

interface RasterFormat {
  type: string
  /** [offset, ASCII or bytes] that must all match. */
  signature: [number, string | number[]][]
}

const RASTER_FORMATS: RasterFormat[] = [
  { type: 'image/jpeg', signature: [[0, [0xff, 0xd8, 0xff]]] },
  { type: 'image/png', signature: [[0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]] },
  { type: 'image/gif', signature: [[0, 'GIF87a']] },
  { type: 'image/gif', signature: [[0, 'GIF89a']] },
  {
    type: 'image/webp',
    signature: [
      [0, 'RIFF'],
      [8, 'WEBP'],
    ],
  },
  { type: 'image/avif', signature: [[4, 'ftypavif']] },
  { type: 'image/avif', signature: [[4, 'ftypavis']] },
  { type: 'image/bmp', signature: [[0, 'BM']] },
  { type: 'image/x-icon', signature: [[0, [0x00, 0x00, 0x01, 0x00]]] },
]

const SVG_TYPE = 'image/svg+xml'

/**
 * An SVG document: optional BOM, XML declaration, comments and doctype, then
 * the `<svg` root. Anything else (notably HTML) is not.
 */
const SVG_START =
  /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+svg[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i

/**
 * The media type to serve `head` (the body's first SNIFF_BYTES) as, or null
 * when it is not an image. `declared` is the upstream Content-Type: it must be
 * an image type or a generic binary one, and SVG must be declared as such.
 */
export function sniffImage(head: Uint8Array, declared: string | null): string | null {
  const essence = (declared ?? '').split(';')[0].trim().toLowerCase()
  if (essence === SVG_TYPE) return SVG_START.test(new TextDecoder().decode(head)) ? SVG_TYPE : null
  if (essence && !essence.startsWith('image/') && essence !== 'application/octet-stream') return null
  return (
    RASTER_FORMATS.find(({ signature }) => signature.every(([offset, expected]) => matches(head, offset, expected)))
      ?.type ?? null
  )
}

function matches(head: Uint8Array, offset: number, expected: string | number[]): boolean {
  const bytes = typeof expected === 'string' ? [...expected].map((c) => c.charCodeAt(0)) : expected
  return bytes.every((byte, i) => head[offset + i] === byte)
}
