import type { AllowedHost } from '../../shared/config.ts'

/**
 * Whether `url` is on `IMAGE_PROXY_ALLOW_HOSTS` (parsed by shared/config.ts):
 * hosts the address policy lets through although they are local or private
 * (tests, local demos). An entry without a port allows every port of that host.
 */
export function isAllowedHost(url: URL, allowList: readonly AllowedHost[]): boolean {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return allowList.some((entry) => entry.hostname === url.hostname && (entry.port === null || entry.port === port))
}
