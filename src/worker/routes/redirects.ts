import { Hono } from 'hono'
import { isOldLinkDay, keys, postPath } from '../../shared/schema.ts'
import { slugText } from '../../shared/slug-text.ts'
import { permanentRedirect } from '../cache/respond.ts'
import type { AppEnv } from '../env.ts'
import { type KvReader, readJson } from '../kv.ts'
import { errorPage } from './pages.tsx'

/**
 * The permalinks the posts had under Jekyll answer 301 with the canonical URL:
 * `/:categories/:year/:month/:day/:title.html` and `/:year/:month/:day/:title.html`.
 */
export const redirects = new Hono<AppEnv>()

const OLD_PERMALINK = /^\/(?:.+\/)?(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\.html$/

redirects.get('/:old{.+\\.html}', async (c) => {
  const match = OLD_PERMALINK.exec(`/${c.req.param('old')}`)
  const slug = match && (await resolveOldLink(c.var.kv, `${match[1]}-${match[2]}-${match[3]}`, slugText(match[4])))
  return slug ? permanentRedirect(c, postPath(slug)) : errorPage(c, 404)
})

/**
 * The slug of the post Jekyll published under this date and title. Jekyll
 * dated links in the site's time zone and the build files posts under their
 * UTC day, so the day itself is tried first, then the days either side.
 * Titles are compared as slugText: Jekyll's own slugging keeps case and a few
 * ASCII marks, which slugText folds the same way the build did.
 */
async function resolveOldLink(kv: KvReader, day: string, title: string): Promise<string | null> {
  const time = Date.parse(`${day}T00:00:00Z`)
  if (!title || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day) return null
  const days = [0, -1, 1].map((offset) => new Date(time + offset * 86_400_000).toISOString().slice(0, 10))
  const reads = await Promise.all(days.map((d) => readJson(kv, keys.oldLinks(d), isOldLinkDay)))
  for (const [i, read] of reads.entries()) {
    if (!read.ok && !read.missing) console.error(`old link ${days[i]}: ${read.reason}`)
    const post = read.ok ? read.value.posts.find((p) => p.title === title) : undefined
    if (post) return post.slug
  }
  return null
}
