import { type AllowedHost, parseAllowList } from './allow-list.ts'
import { type RefererTable, refererTable } from './referer.ts'

/** The proxy's configuration, read from the worker's variables (see docs: "Image proxy"). */
export interface ProxySettings {
  secret: string
  allowHosts: AllowedHost[]
  referers: RefererTable
  maxBytes: number
  timeoutMs: number
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024
const DEFAULT_TIMEOUT_MS = 10_000

/** Throws on a missing secret or a malformed variable: a deployment error, not a request error. */
export function proxySettings(env: Env): ProxySettings {
  if (!env.IMAGE_PROXY_KEY)
    throw new Error('IMAGE_PROXY_KEY is not set: `wrangler secret put IMAGE_PROXY_KEY` (or .dev.vars locally)')
  return {
    secret: env.IMAGE_PROXY_KEY,
    allowHosts: parseAllowList(env.IMAGE_PROXY_ALLOW_HOSTS),
    referers: refererTable(env.IMAGE_PROXY_REFERERS),
    maxBytes: positiveInteger('IMAGE_PROXY_MAX_BYTES', env.IMAGE_PROXY_MAX_BYTES, DEFAULT_MAX_BYTES),
    timeoutMs: positiveInteger('IMAGE_PROXY_TIMEOUT_MS', env.IMAGE_PROXY_TIMEOUT_MS, DEFAULT_TIMEOUT_MS),
  }
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name}: "${text}" is not a positive integer`)
  return value
}
