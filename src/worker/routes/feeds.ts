import { type Context, Hono } from 'hono'
import { FEED_ITEMS, type Listing, listingId, listingPath } from '../../shared/listings.ts'
import { isListingHead, isStoredPost, keys, type StoredPost } from '../../shared/schema.ts'
import { cacheable } from '../cache/respond.ts'
import { renderConfig } from '../configuration.ts'
import type { AppEnv } from '../env.ts'
import { readJson } from '../kv.ts'
import { renderArticleBody } from '../render/index.tsx'
import { listingName } from '../views/listing-page.tsx'
import { absoluteUrls, atomFeed, type FeedInfo, type FeedItem, jsonFeed } from './feeds-format.ts'
import { LISTING_ROUTES } from './listing-routes.ts'
import { errorPage } from './pages.tsx'

/** Atom and JSON Feed of the home, tag and category listings: `<listing>/feed.xml`, `<listing>/feed.json`. */
export const feeds = new Hono<AppEnv>()

const FORMATS = [
  { file: 'feed.xml', type: 'application/atom+xml; charset=utf-8', render: atomFeed },
  { file: 'feed.json', type: 'application/feed+json; charset=utf-8', render: jsonFeed },
] as const

/** The language feeds declare; pages declare the same (views/layout.tsx). */
const FEED_LANG = 'zh'

for (const route of LISTING_ROUTES.filter((r) => r.feeds)) {
  for (const format of FORMATS) {
    feeds.get(`${route.path}/${format.file}`, async (c) => {
      const listing = route.listing(c.req.param())
      const newest = await newestPosts(c, listing)
      if (!newest.ok) return newest.response
      const produce = async () => {
        const config = renderConfig(c)
        const { siteName } = c.var.config
        const items = await Promise.all(
          newest.posts.map(
            async (post): Promise<FeedItem> => ({
              post,
              url: config.origin + post.url,
              html: absoluteUrls(await renderArticleBody(post, config), config.origin),
            }),
          ),
        )
        const info: FeedInfo = {
          title: listing.kind === 'home' ? siteName : `${siteName} · ${listingName(listing)}`,
          pageUrl: config.origin + listingPath(listing),
          feedUrl: config.origin + listingPath(listing) + format.file,
          lang: FEED_LANG,
          author: siteName,
        }
        return c.body(format.render(info, items), 200, { 'content-type': format.type })
      }
      // Last changed when its most recently dated or updated item did.
      const lastModified = newest.posts
        .map((p) => p.updated ?? p.date)
        .sort()
        .at(-1)
      return cacheable(c, 'feed', produce, { lastModified })
    })
  }
}

/**
 * The listing's newest posts: its head holds at least FEED_ITEMS of them, so
 * a feed is one listing read plus one read per post.
 */
async function newestPosts(
  c: Context<AppEnv>,
  listing: Listing,
): Promise<{ ok: true; posts: StoredPost[] } | { ok: false; response: Response | Promise<Response> }> {
  const key = keys.listingHead(listingId(listing))
  const head = await readJson(c.var.kv, key, isListingHead)
  if (!head.ok) {
    if (head.missing && listing.kind !== 'home') return { ok: false, response: errorPage(c, 404) }
    return { ok: false, response: errorPage(c, 500, head.missing ? `${key} is missing` : head.reason) }
  }
  const summaries = head.value.tail.slice(-FEED_ITEMS).reverse()
  const reads = await Promise.all(summaries.map((s) => readJson(c.var.kv, keys.post(s.slug), isStoredPost)))
  const posts: StoredPost[] = []
  for (const [i, read] of reads.entries()) {
    // A post a listing names but KV lacks (a deploy in progress) is left out of the feed, not the whole feed.
    if (read.ok) posts.push(read.value)
    else console.error(`feed ${key}: ${keys.post(summaries[i].slug)} ${read.missing ? 'is missing' : read.reason}`)
  }
  return { ok: true, posts }
}
