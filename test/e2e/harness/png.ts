import { crc32, deflateSync } from 'node:zlib'

/**
 * A small, valid RGB PNG: a colour field with diagonal stripes, distinct per
 * `seed`, so screenshots show where each image sits and which one it is.
 */
export function stripedPng(width: number, height: number, seed: number): Buffer {
  const base = [64 + (seed & 0x7f), 64 + ((seed >> 7) & 0x7f), 64 + ((seed >> 14) & 0x7f)]
  const row = 1 + width * 3
  const pixels = Buffer.alloc(row * height)
  for (let y = 0; y < height; y++) {
    pixels[y * row] = 0 // filter: none
    for (let x = 0; x < width; x++) {
      const light = ((x + y) >> 4) % 2 === 0 ? 48 : 0
      const at = y * row + 1 + x * 3
      pixels[at] = base[0] + light
      pixels[at + 1] = base[1] + light
      pixels[at + 2] = base[2] + light
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, deflate, no filter set, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}
