import { type Context, Hono } from 'hono'
import { type Listing, listingPath, pagePath } from '../../shared/listings.ts'
import { isArchiveIndex, isTermIndex, keys } from '../../shared/schema.ts'
import { cacheable, permanentRedirect } from '../cache/respond.ts'
import type { AppEnv } from '../env.ts'
import { readJson } from '../kv.ts'
import { ArchiveIndexPage, TermIndexPage } from '../views/index-pages.tsx'
import { ListingPage } from '../views/listing-page.tsx'
import { LISTING_ROUTES } from './listing-routes.ts'
import { errorPage } from './pages.tsx'
import { readListingPage } from './read-listing-page.ts'

/** Home, tag, category, year and month listings, paginated; the tag, category and archive indexes. */
export const listings = new Hono<AppEnv>()

for (const { path, listing } of LISTING_ROUTES) {
  listings.get(`${path}/`, (c) => listingPage(c, listing(c.req.param()), 1))
  listings.get(`${path}/page/:page{[0-9]+}/`, (c) => {
    const text = c.req.param('page')
    const page = Number(text)
    // Page 1 has one address, the listing's own; `/page/007/` is no address at all.
    if (page === 1) return permanentRedirect(c, pagePath(listing(c.req.param()), 1))
    if (String(page) !== text) return errorPage(c, 404)
    return listingPage(c, listing(c.req.param()), page)
  })
  listings.get(`${path}/page/:page{[0-9]+}`, (c) =>
    permanentRedirect(c, pagePath(listing(c.req.param()), Number(c.req.param('page')))),
  )
  if (path) listings.get(path, (c) => permanentRedirect(c, listingPath(listing(c.req.param()))))
}

async function listingPage(c: Context<AppEnv>, listing: Listing, page: number) {
  const read = await readListingPage(c.var.kv, listing, page)
  if (!read.ok) {
    if (read.missing === false) return errorPage(c, 500, read.reason)
    // Every built site has a home listing, even with no posts.
    if (listing.kind === 'home' && read.missing === 'listing')
      return errorPage(c, 500, 'the home listing is missing: has the site been built and loaded?')
    return errorPage(c, 404)
  }
  const { head, pages, posts } = read.value
  return html(
    c,
    <ListingPage
      siteName={c.var.config.siteName}
      listing={listing}
      count={head.count}
      page={page}
      pages={pages}
      posts={posts}
    />,
  )
}

const TERM_INDEXES = [
  { path: '/tags', kind: 'tag', key: keys.tagIndex },
  { path: '/categories', kind: 'category', key: keys.categoryIndex },
] as const

for (const { path, kind, key } of TERM_INDEXES) {
  listings.get(`${path}/`, async (c) => {
    const read = await readJson(c.var.kv, key, isTermIndex)
    if (!read.ok) return errorPage(c, 500, read.missing ? `${key} is missing` : read.reason)
    return html(c, <TermIndexPage siteName={c.var.config.siteName} kind={kind} index={read.value} />)
  })
}

listings.get('/archive/', async (c) => {
  const read = await readJson(c.var.kv, keys.archiveIndex, isArchiveIndex)
  if (!read.ok) return errorPage(c, 500, read.missing ? `${keys.archiveIndex} is missing` : read.reason)
  return html(c, <ArchiveIndexPage siteName={c.var.config.siteName} index={read.value} />)
})

for (const path of ['/tags', '/categories', '/archive']) listings.get(path, (c) => permanentRedirect(c, `${path}/`))

function html(c: Context<AppEnv>, page: { toString(): string | Promise<string> }) {
  return cacheable(c, 'listing', () => c.html(`<!doctype html>${page.toString()}`))
}
