/**
 * The image proxy's URL format, shared by the renderer (which signs) and the
 * proxy route (which verifies): `/img/<signature>/<source>` in the manner of
 * GitHub's camo, where `signature` is base64url(HMAC-SHA256(key, source URL))
 * and `source` is the source URL's UTF-8 bytes in base64url — opaque to path
 * normalisation, so what is signed is exactly what is fetched.
 */

export const IMAGE_PROXY_PREFIX = '/img/'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** The HMAC key for `IMAGE_PROXY_KEY`. Import once per isolate and reuse. */
export function importImageKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])
}

export async function imageProxyPath(key: CryptoKey, source: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(source))
  return `${IMAGE_PROXY_PREFIX}${toBase64Url(new Uint8Array(signature))}/${toBase64Url(encoder.encode(source))}`
}

/**
 * The source URL a proxy path names, or null when the path is malformed or the
 * signature does not match. `crypto.subtle.verify` compares in constant time.
 */
export async function verifyImageProxyPath(key: CryptoKey, path: string): Promise<string | null> {
  if (!path.startsWith(IMAGE_PROXY_PREFIX)) return null
  const parts = path.slice(IMAGE_PROXY_PREFIX.length).split('/')
  if (parts.length !== 2) return null
  const signature = fromBase64Url(parts[0])
  const sourceBytes = fromBase64Url(parts[1])
  if (signature?.length !== 32 || !sourceBytes) return null
  if (!(await crypto.subtle.verify('HMAC', key, signature, sourceBytes))) return null
  try {
    return decoder.decode(sourceBytes)
  } catch {
    return null
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}
