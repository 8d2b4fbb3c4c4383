import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'
import { recordingKv } from './recording-kv.ts'

/**
 * Middleware: `c.var.kv`, the request's reader of the POSTS namespace. The
 * binding itself is not in the routes' type (env.ts), so this is their only
 * way to KV, and every value a response is built from is recorded.
 */
export const recordKvReads: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('kv', recordingKv((c.env as Env).POSTS))
  await next()
}
