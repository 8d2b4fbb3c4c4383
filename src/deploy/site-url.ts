/**
 * A production deploy needs the site's public origin in `[vars] SITE_URL`.
 * Without it the worker takes the origin from each request's Host header, so
 * a request with `Host: evil.example.com` writes that host into canonical
 * links, feeds, the sitemap and robots.txt, and caches serve them to everyone.
 * Local runs (`--local`, `npm start`) keep using the request's origin.
 */

/** Says on stderr what is wrong with SITE_URL; false when a deploy must stop (a dry run changes nothing, so it only warns). */
export async function checkSiteUrl(config: string, dryRun: boolean): Promise<boolean> {
  const problem = await siteUrlProblem(config)
  if (problem) console.error(`${dryRun ? 'warning' : 'error'}: ${problem}`)
  return !problem || dryRun
}

/** Why `config` must not be deployed as it is, or undefined when its SITE_URL is a public origin. */
export async function siteUrlProblem(config: string): Promise<string | undefined> {
  let vars: Record<string, unknown> | undefined
  try {
    // wrangler's own reader, so the value checked is the one `wrangler deploy` uploads. Loaded only here:
    // it is 15 MB of JavaScript that local runs do not need.
    const { unstable_readConfig } = await import('wrangler')
    vars = (unstable_readConfig({ config }, { hideWarnings: true }) as { vars?: Record<string, unknown> }).vars
  } catch (err) {
    return `cannot read ${config}: ${(err as Error).message}`
  }
  const value = vars?.SITE_URL
  const fix = `set SITE_URL under [vars] in ${config} to the site's public origin, e.g. SITE_URL = "https://news.example.org"`
  if (value === undefined || value === '') {
    return (
      `${config} has no SITE_URL, so the deployed worker would take the site's origin from each request's Host ` +
      `header and any visitor could put their own host into canonical links, feeds, the sitemap and robots.txt: ${fix}`
    )
  }
  if (!isOrigin(value)) return `SITE_URL in ${config} is not an http(s) origin (${JSON.stringify(value)}): ${fix}`
  return undefined
}

/** `https://host[:port]` with at most a trailing slash: the worker uses the origin alone, so a path would be dropped. */
function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false
  const url = new URL(value)
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.href === `${url.origin}/`
}
