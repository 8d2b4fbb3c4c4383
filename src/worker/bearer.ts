/**
 * Whether an Authorization header carries `Bearer <secret>`: the guard of the
 * deploy tool's endpoints (cache purge, image archive). Digests are compared
 * in constant time, so response timing says nothing about the secret.
 */
export async function isAuthorised(header: string | undefined, secret: string): Promise<boolean> {
  const token = /^Bearer +(\S+)$/i.exec(header ?? '')?.[1]
  if (!token) return false
  const digest = (text: string) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return crypto.subtle.timingSafeEqual(await digest(token), await digest(secret))
}
