import { Hono } from 'hono'
import { isStoredPost, keys, slugFromPath } from '../../shared/schema.ts'
import { cacheable, permanentRedirect } from '../cache/respond.ts'
import { renderConfig } from '../configuration.ts'
import type { AppEnv } from '../env.ts'
import { readJson } from '../kv.ts'
import { renderPostPage } from '../render/index.tsx'
import { errorPage } from './pages.tsx'

export const post = new Hono<AppEnv>()

const DATED = '/:year{[0-9]{4}}/:month{[0-9]{2}}/:day{[0-9]{2}}/:title'

post.get(`${DATED}/`, async (c) => {
  const { year, month, day, title } = c.req.param()
  const slug = slugFromPath(year, month, day, title)
  const read = await readJson(c.var.kv, keys.post(slug), isStoredPost)
  if (!read.ok) return errorPage(c, read.missing ? 404 : 500, read.missing ? undefined : read.reason)
  const stored = read.value
  return cacheable(c, 'article', async () => c.html(await renderPostPage(stored, renderConfig(c))), {
    lastModified: stored.updated ?? stored.date,
  })
})

// The canonical URL ends in a slash; the bare form redirects to it.
post.get(DATED, (c) => permanentRedirect(c, `${c.req.path}/`))
