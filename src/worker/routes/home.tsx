import { Hono } from 'hono'
import { isSiteIndex, keys } from '../../shared/schema.ts'
import type { AppEnv } from '../env.ts'
import { readJson } from '../kv.ts'
import { HomePage } from '../views/HomePage.tsx'
import { errorPage, siteName } from './pages.tsx'

export const home = new Hono<AppEnv>()

home.get('/', async (c) => {
  const read = await readJson(c.env.POSTS, keys.siteIndex, isSiteIndex)
  if (!read.ok) return errorPage(c, 500, read.missing ? `${keys.siteIndex} is missing: has the site been built and loaded?` : read.reason)
  return c.html(`<!doctype html>${(<HomePage siteName={siteName(c)} index={read.value} />).toString()}`)
})
