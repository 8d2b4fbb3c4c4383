import type { Context } from 'hono'
import { isStoredPost, keys, type StoredPost, slugFromPath } from '../../src/shared/schema.ts'
import { renderConfig } from '../../src/worker/configuration.ts'
import type { AppEnv } from '../../src/worker/env.ts'
import { readJson } from '../../src/worker/kv.ts'
import { renderPostPage } from '../../src/worker/render/index.tsx'

/** Posts read so far: after the first request for a post, its renders are measured without a KV read. */
const posts = new Map<string, StoredPost>()

/**
 * `/_bench/render/<post path>?n=N`: renders the post N times (0: none) and
 * answers 204. The bench reads workerd's CPU time around the request: what
 * the article route's render costs in workerd itself, with its own V8 heap
 * and garbage collector, and its own WebCrypto.
 */
export async function renderLoop(c: Context<AppEnv>): Promise<Response> {
  const { year, month, day, title } = c.req.param() as Record<string, string>
  const slug = slugFromPath(year, month, day, title)
  let post = posts.get(slug)
  if (!post) {
    const read = await readJson(c.var.kv, keys.post(slug), isStoredPost)
    if (!read.ok) return c.text(read.missing ? 'no such post' : read.reason, read.missing ? 404 : 500)
    post = read.value
    posts.set(slug, post)
  }
  const config = renderConfig(c)
  const times = Number(c.req.query('n') ?? 1)
  for (let i = 0; i < times; i++) await renderPostPage(post, config)
  return c.body(null, 204)
}
