import { type Context, Hono } from 'hono'
import { keys } from '../../shared/schema.ts'
import type { CacheKind } from '../cache/cache-policy.ts'
import { cacheable, permanentRedirect } from '../cache/respond.ts'
import { siteOrigin } from '../configuration.ts'
import type { AppEnv } from '../env.ts'
import { ftsExpression, parseQuery, SEARCH_PATH } from '../search/query.ts'
import { MAX_PAGE, readResults } from '../search/read.ts'
import { type SearchOutcome, SearchPage, searchPath } from '../views/search-page.tsx'
import { element, textElement, XML_DECLARATION } from './feeds-xml.ts'

/**
 * `GET /search?q=…&page=N`: the results page (see search/query.ts for the
 * syntax), and `/opensearch.xml`, so browsers can offer the site's search.
 *
 * A results page depends on its query and on the index: the route reads
 * `search:index` through `c.var.kv`, a KV value deploy changes after every
 * change of the index, so the ETag and the Cache-Tag follow the index and a
 * deploy purges cached results like any page, and a revalidation answers 304
 * without asking D1. Only `q` and `page` mean anything, and each query has one
 * address: any other form of it (other parameters, `page=1`, spaces) redirects
 * there, so caches hold one copy per query.
 */
export const search = new Hono<AppEnv>()

/** `page` as written in a canonical address: 2 up to MAX_PAGE, no leading zeros. */
const PAGE = /^[1-9][0-9]{0,3}$/

search.get(SEARCH_PATH, async (c) => {
  const url = new URL(c.req.url)
  // Collapsed, so a query has one address; URLSearchParams decodes invalid UTF-8 to U+FFFD, never throws.
  const query = (url.searchParams.get('q') ?? '').replace(/\s+/g, ' ').trim()
  const pageParam = url.searchParams.get('page')
  const page = pageParam === null ? 1 : PAGE.test(pageParam) && Number(pageParam) <= MAX_PAGE ? Number(pageParam) : 0
  if (page === 0) return answer(c, 'error', query, { kind: 'bad-page' }, 400)

  const parsed = parseQuery(query)
  if (parsed.kind === 'too-long') return answer(c, 'search', query, parsed)
  const canonical = searchPath(query, page)
  if (url.pathname + url.search !== canonical) return permanentRedirect(c, canonical)
  if (parsed.kind === 'empty') return answer(c, 'search', query, { kind: 'start' })
  if (parsed.kind !== 'terms') return answer(c, 'search', query, parsed)

  await c.var.kv.text(keys.searchIndex)
  try {
    return await answer(c, 'search', query, async () => {
      const found = await readResults(c.env.SEARCH, ftsExpression(parsed.terms), parsed.terms, page)
      if (page > found.pages) throw new NoSuchPage(found.pages)
      return { kind: 'results', page, found }
    })
  } catch (err) {
    if (err instanceof NoSuchPage)
      return answer(c, 'not-found', query, { kind: 'no-page', page, pages: err.pages }, 404)
    // D1 down, or no index yet (no such table): a page that says so, never stored.
    console.error(`search ${JSON.stringify(query)}: ${err instanceof Error ? err.message : err}`)
    return answer(c, 'error', query, { kind: 'unavailable' }, 503)
  }
})

class NoSuchPage extends Error {
  constructor(readonly pages: number) {
    super(`past the last page (${pages})`)
  }
}

/** The page for an outcome (or one found only when rendering), with the kind's caching; the query is part of the ETag. */
function answer(
  c: Context<AppEnv>,
  kind: CacheKind,
  query: string,
  outcome: SearchOutcome | (() => Promise<SearchOutcome>),
  status: 200 | 400 | 404 | 503 = 200,
) {
  return cacheable(
    c,
    kind,
    async () => {
      const page = <SearchPage siteName={c.var.config.siteName} query={query} outcome={await resolve(outcome)} />
      return c.html(`<!doctype html>${page.toString()}`, status)
    },
    { variant: c.req.url },
  )
}

function resolve(outcome: SearchOutcome | (() => Promise<SearchOutcome>)): SearchOutcome | Promise<SearchOutcome> {
  return typeof outcome === 'function' ? outcome() : outcome
}

/** OpenSearch allows 16 characters of short name. */
const SHORT_NAME_CHARS = 16

search.get('/opensearch.xml', (c) => {
  const { siteName } = c.var.config
  const origin = siteOrigin(c)
  // Like robots.txt, it changes only with the code and the configuration.
  return cacheable(c, 'robots', () =>
    c.body(
      XML_DECLARATION +
        element(
          'OpenSearchDescription',
          { xmlns: 'http://a9.com/-/spec/opensearch/1.1/' },
          textElement('ShortName', [...siteName].slice(0, SHORT_NAME_CHARS).join('')),
          textElement('Description', `Search ${siteName}`),
          textElement('InputEncoding', 'UTF-8'),
          textElement('Image', `${origin}/favicon.svg`, { type: 'image/svg+xml', width: '32', height: '32' }),
          element('Url', { type: 'text/html', method: 'get', template: `${origin}${SEARCH_PATH}?q={searchTerms}` }),
        ),
      200,
      { 'content-type': 'application/opensearchdescription+xml; charset=utf-8' },
    ),
  )
})
