import type { RefererPolicy } from '../../shared/config.ts'

/**
 * Which Referer the proxy sends upstream. Sites differ: many hotlink guards
 * refuse foreign Referers but serve requests without one, some want their own
 * origin, a few want a fixed page of the site the image belongs to.
 *
 * A policy (shared/config.ts) is
 *   `none`        no Referer (the default, as the seed's `referrerpolicy="no-referrer"`)
 *   `origin`      the image's own origin, e.g. `https://www.example.com/`
 *   a URL         sent as it is (the article site for images on a CDN)
 */

/**
 * Built-in policies per host. A key matches that host and its subdomains; the
 * longest matching key wins. `IMAGE_PROXY_REFERERS` entries override these.
 */
const SITE_REFERERS: ReadonlyMap<string, RefererPolicy> = new Map<string, RefererPolicy>([
  // Pixiv's image CDN answers 403 unless the Referer is on pixiv.net.
  ['i.pximg.net', { fixed: 'https://www.pixiv.net/' }],
  // WeChat and Weibo image hosts replace images with a "no hotlinking" picture for foreign Referers.
  ['qpic.cn', 'none'],
  ['sinaimg.cn', 'none'],
  // The seed's source marks its images referrerpolicy="no-referrer".
  ['zaobao.com', 'none'],
])

/** The Referer header value for fetching `source`, or null for none; `overrides` from IMAGE_PROXY_REFERERS. */
export function refererFor(source: URL, overrides: ReadonlyMap<string, RefererPolicy>): string | null {
  const policy = policyFor(source.hostname, overrides)
  if (policy === 'none') return null
  if (policy === 'origin') return `${source.origin}/`
  return policy.fixed
}

function policyFor(hostname: string, overrides: ReadonlyMap<string, RefererPolicy>): RefererPolicy {
  const labels = hostname.replace(/\.$/, '').split('.')
  for (let i = 0; i < labels.length; i++) {
    const host = labels.slice(i).join('.')
    const policy = overrides.get(host) ?? SITE_REFERERS.get(host)
    if (policy) return policy
  }
  return overrides.get('*') ?? 'none'
}
