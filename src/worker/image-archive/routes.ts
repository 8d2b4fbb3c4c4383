import { type Context, Hono } from 'hono'
import {
  ARCHIVE_ENDPOINTS,
  type CaptureResponse,
  INDEX_PREFIX,
  type ListResponse,
  listedObject,
  listOptions,
  MAX_DELETE_KEYS,
  OBJECT_PREFIX,
} from '../../shared/image-archive.ts'
import { isAuthorised } from '../bearer.ts'
import type { AppEnv } from '../env.ts'
import { isArchiveKey } from './bucket.ts'
import { captureBatch } from './capture.ts'

/**
 * The deploy tool's way into the image archive (README: "Image archive"):
 *
 *   POST /_images/capture  { "urls": [...] }        → { "results": [...], "batch": 8 }
 *   GET  /_images/list?prefix=src/|obj/&cursor=…   → { "objects": [...], "cursor"? }
 *   POST /_images/delete   { "keys": [...] }         → { "deleted": n }
 *
 * each with `Authorization: Bearer <IMAGE_ARCHIVE_TOKEN>`. Without the secret
 * set, none of them exists. Capture fetches from the worker, close to the
 * sources, with the image proxy's code: the deploy machine sends URLs, never
 * image bytes.
 */
export const imageArchive = new Hono<AppEnv>()

/** A deploy sends a batch at a time; anything far larger is not one of ours. */
const MAX_URLS = 1000
const MAX_BODY_BYTES = 1024 * 1024

imageArchive.use('/_images/*', async (c, next) => {
  const secret = c.var.config.imageArchive.token
  if (!secret) return c.notFound()
  if (!(await isAuthorised(c.req.header('authorization'), secret)))
    return reply(c, 401, { error: 'a valid bearer token is required' }, { 'www-authenticate': 'Bearer' })
  await next()
})

imageArchive.post(ARCHIVE_ENDPOINTS.capture, async (c) => {
  const urls = await stringList(c, 'urls', MAX_URLS)
  if (typeof urls === 'string') return reply(c, 400, { error: urls })
  const { imageProxy, imageArchive: budget } = c.var.config
  const response: CaptureResponse = {
    results: await captureBatch(urls, c.env.IMAGES, imageProxy, budget),
    batch: budget.batch,
  }
  return reply(c, 200, response)
})

imageArchive.get(ARCHIVE_ENDPOINTS.list, async (c) => {
  const prefix = c.req.query('prefix') ?? ''
  if (prefix !== INDEX_PREFIX && prefix !== OBJECT_PREFIX)
    return reply(c, 400, { error: `prefix must be ${INDEX_PREFIX} or ${OBJECT_PREFIX}` })
  const page = await c.env.IMAGES.list(listOptions(prefix, c.req.query('cursor') || undefined))
  const objects = page.objects.map(listedObject)
  const response: ListResponse = { objects, ...(page.truncated && { cursor: page.cursor }) }
  return reply(c, 200, response)
})

imageArchive.post(ARCHIVE_ENDPOINTS.delete, async (c) => {
  const keys = await stringList(c, 'keys', MAX_DELETE_KEYS)
  if (typeof keys === 'string') return reply(c, 400, { error: keys })
  const foreign = keys.find((key) => !isArchiveKey(key))
  if (foreign !== undefined) return reply(c, 400, { error: `not an archive key: ${foreign.slice(0, 100)}` })
  if (keys.length > 0) await c.env.IMAGES.delete(keys)
  return reply(c, 200, { deleted: keys.length })
})

/** `{ "<field>": [string, …] }` with at most `max` entries, or what is wrong with the body. */
async function stringList(c: Context<AppEnv>, field: string, max: number): Promise<string[] | string> {
  const text = await c.req.text()
  if (text.length > MAX_BODY_BYTES) return 'body too large'
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return 'body is not JSON'
  }
  const list = (body as Record<string, unknown> | null)?.[field]
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string'))
    return `expected { "${field}": [strings] }`
  if (list.length > max) return `at most ${max} ${field} a request`
  return list
}

function reply(c: Context<AppEnv>, status: 200 | 400 | 401, body: object, headers: Record<string, string> = {}) {
  return c.json(body, status, { 'cache-control': 'no-store', ...headers })
}
