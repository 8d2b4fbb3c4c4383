import { exports } from 'cloudflare:workers'
import { parseHTML } from 'linkedom'

/** The origin the worker tests' requests name. */
export const ORIGIN = 'http://example.com'

/** A request through the worker's own entrypoint (`exports.default`); redirects are returned, not followed. */
export function get(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }))
}

/** A page and its document. */
export async function page(path: string) {
  const response = await get(path)
  return { response, document: parseHTML(await response.text()).document }
}
