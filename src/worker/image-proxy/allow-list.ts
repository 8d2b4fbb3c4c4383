/**
 * `IMAGE_PROXY_ALLOW_HOSTS`: comma-separated `host[:port]` entries the address
 * policy lets through although they are local or private (tests, local demos).
 * An entry without a port allows every port of that host.
 */

export interface AllowedHost {
  hostname: string
  /** Null: any port. */
  port: string | null
}

export function parseAllowList(text: string | undefined): AllowedHost[] {
  return (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      // Parsed as a URL host, so the entry is normalised exactly as source URLs are.
      const url = /^[^/@?#\s]+$/.test(entry) ? URL.parse(`http://${entry}`) : null
      if (!url) throw new Error(`IMAGE_PROXY_ALLOW_HOSTS: "${entry}" is not host[:port]`)
      const port = /:(\d+)$/.exec(entry)?.[1]
      return { hostname: url.hostname, port: port === undefined ? null : String(Number(port)) }
    })
}

export function isAllowedHost(url: URL, allowList: AllowedHost[]): boolean {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return allowList.some((entry) => entry.hostname === url.hostname && (entry.port === null || entry.port === port))
}
