/**
 * Validators (RFC 9110 §8.8): strong entity tags made from everything that
 * determines a response's bytes, and HTTP dates for Last-Modified.
 */

/**
 * A strong ETag over `parts`, in any order-sensitive form the caller chooses.
 * 128 bits of SHA-256: collisions are not a practical concern.
 */
export async function strongEtag(parts: readonly string[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u0000')))
  return `"${base64url(new Uint8Array(digest, 0, 16))}"`
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/** `*`, or the entity-tags of an If-None-Match / If-Match value (RFC 9110 §8.8.3). */
export function parseEtagList(value: string): '*' | { weak: boolean; opaque: string }[] {
  if (value.trim() === '*') return '*'
  return [...value.matchAll(/(W\/)?("[^"]*")/g)].map((m) => ({ weak: m[1] !== undefined, opaque: m[2]! }))
}

/** Weak comparison: the opaque tags match, whether or not either is weak (RFC 9110 §8.8.3.2). */
export function weakMatch(a: string, b: string): boolean {
  return opaqueTag(a) === opaqueTag(b)
}

/** Strong comparison: both strong and the same. */
export function strongMatch(a: string, b: string): boolean {
  return !a.startsWith('W/') && !b.startsWith('W/') && a === b
}

function opaqueTag(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag
}

/** An IMF-fixdate, the form every sender must generate (RFC 9110 §5.6.7). */
export function httpDate(date: Date): string {
  return date.toUTCString()
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const IMF_FIXDATE = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/
const RFC850_DATE = /^[A-Z][a-z]{5,8}, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/
const ASCTIME_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/

/**
 * Milliseconds since the epoch of an HTTP-date in any of its three forms, or
 * null for anything else, including a list of dates (RFC 9110 §5.6.7, §13.1.3).
 */
export function parseHttpDate(value: string, now = new Date()): number | null {
  const text = value.trim()
  let m = IMF_FIXDATE.exec(text)
  if (m) return utc(Number(m[3]), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!)
  m = RFC850_DATE.exec(text)
  if (m) {
    // Two-digit years: the most recent year with those digits that is not more than 50 years ahead.
    let year = Math.floor(now.getUTCFullYear() / 100) * 100 + Number(m[3])
    if (year > now.getUTCFullYear() + 50) year -= 100
    return utc(year, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!)
  }
  m = ASCTIME_DATE.exec(text)
  if (m) return utc(Number(m[6]), m[1]!, m[2]!, m[3]!, m[4]!, m[5]!)
  return null
}

function utc(
  year: number,
  monthName: string,
  day: string,
  hour: string,
  minute: string,
  second: string,
): number | null {
  const month = MONTHS.indexOf(monthName)
  const time = Date.UTC(year, month, Number(day), Number(hour), Number(minute), Number(second))
  const date = new Date(time)
  // Reject what Date.UTC would silently roll over (31 Feb, 25:00, an unknown month).
  const valid =
    month >= 0 && date.getUTCDate() === Number(day) && date.getUTCHours() === Number(hour) && Number(second) < 60
  return valid ? time : null
}

/** Whole seconds: HTTP dates have no finer resolution, so comparisons must not see milliseconds. */
export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000)
}
