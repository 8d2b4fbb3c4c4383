/**
 * Which Referer the proxy sends upstream. Sites differ: many hotlink guards
 * refuse foreign Referers but serve requests without one, some want their own
 * origin, a few want a fixed page of the site the image belongs to.
 *
 * A policy is written as
 *   `none`        no Referer (the default, as the seed's `referrerpolicy="no-referrer"`)
 *   `origin`      the image's own origin, e.g. `https://www.example.com/`
 *   an http(s) URL, sent as it is (the article site for images on a CDN)
 */

export type RefererPolicy = 'none' | 'origin' | { fixed: string }

/**
 * Built-in policies per host. A key matches that host and its subdomains; the
 * longest matching key wins. `IMAGE_PROXY_REFERERS` entries override these.
 */
const SITE_REFERERS: Record<string, string> = {
  // Pixiv's image CDN answers 403 unless the Referer is on pixiv.net.
  'i.pximg.net': 'https://www.pixiv.net/',
  // WeChat and Weibo image hosts replace images with a "no hotlinking" picture for foreign Referers.
  'qpic.cn': 'none',
  'sinaimg.cn': 'none',
  // The seed's source marks its images referrerpolicy="no-referrer".
  'zaobao.com': 'none',
}

export type RefererTable = Map<string, RefererPolicy>

/** The built-in table with `IMAGE_PROXY_REFERERS` (`host=policy,…`; host `*` sets the default) applied on top. */
export function refererTable(override: string | undefined): RefererTable {
  const table: RefererTable = new Map(
    Object.entries(SITE_REFERERS).map(([host, text]) => [host, parsePolicy(host, text)]),
  )
  for (const entry of (override ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf('=')
    const host = entry.slice(0, separator).trim().toLowerCase()
    if (separator < 1 || !host) throw new Error(`IMAGE_PROXY_REFERERS: "${entry}" is not host=policy`)
    table.set(host, parsePolicy(host, entry.slice(separator + 1).trim()))
  }
  return table
}

function parsePolicy(host: string, text: string): RefererPolicy {
  if (text === 'none' || text === 'origin') return text
  const url = URL.parse(text)
  if (url && (url.protocol === 'https:' || url.protocol === 'http:')) return { fixed: url.href }
  throw new Error(`Referer policy for ${host}: "${text}" is not none, origin or an http(s) URL`)
}

/** The Referer header value for fetching `source`, or null for none. */
export function refererFor(source: URL, table: RefererTable): string | null {
  const policy = policyFor(source.hostname, table)
  if (policy === 'none') return null
  if (policy === 'origin') return `${source.origin}/`
  return policy.fixed
}

function policyFor(hostname: string, table: RefererTable): RefererPolicy {
  const labels = hostname.replace(/\.$/, '').split('.')
  for (let i = 0; i < labels.length; i++) {
    const policy = table.get(labels.slice(i).join('.'))
    if (policy) return policy
  }
  return table.get('*') ?? 'none'
}
