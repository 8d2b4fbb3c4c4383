import { type Listing, listingPath, pagePath } from '../../shared/listings.ts'
import type { PostSummary } from '../../shared/schema.ts'
import { type FeedLink, Layout } from './layout.tsx'
import { PageNav } from './page-nav.tsx'

export interface ListingPageProps {
  siteName: string
  listing: Listing
  count: number
  page: number
  pages: number
  /** Newest first. */
  posts: PostSummary[]
}

/** What a listing is called in headings and titles. */
export function listingName(listing: Listing): string {
  switch (listing.kind) {
    case 'home':
      return 'Latest posts'
    case 'tag':
      return `Tag: ${listing.name}`
    case 'category':
      return `Category: ${listing.name}`
    case 'year':
      return listing.year
    case 'month':
      return `${listing.year}-${listing.month}`
  }
}

/** Home, tags and categories have feeds (see routes/feeds.ts); archives do not. */
export function listingFeeds(listing: Listing, siteName: string): FeedLink[] {
  if (listing.kind === 'home' || listing.kind === 'year' || listing.kind === 'month') return []
  const base = listingPath(listing)
  const title = `${siteName} · ${listingName(listing)}`
  return [
    { title, href: `${base}feed.xml`, type: 'application/atom+xml' },
    { title, href: `${base}feed.json`, type: 'application/feed+json' },
  ]
}

export function ListingPage({ siteName, listing, count, page, pages, posts }: ListingPageProps) {
  const name = listingName(listing)
  const title = listing.kind === 'home' && page === 1 ? siteName : page === 1 ? name : `${name} · page ${page}`
  const feeds = listingFeeds(listing, siteName)
  return (
    <Layout siteName={siteName} title={title} feeds={feeds}>
      <h1>{name}</h1>
      <p class="meta">
        {count === 1 ? '1 post' : `${count} posts`}
        {pages > 1 && ` · page ${page} of ${pages}`}
        {feeds.map((feed) => (
          <>
            {' · '}
            <a href={feed.href} type={feed.type}>
              {feed.type === 'application/atom+xml' ? 'Atom feed' : 'JSON Feed'}
            </a>
          </>
        ))}
      </p>
      {posts.length === 0 ? <p>No posts yet.</p> : <PostList posts={posts} />}
      <Pagination listing={listing} page={page} pages={pages} />
    </Layout>
  )
}

export function PostList({ posts }: { posts: PostSummary[] }) {
  return (
    <ol class="posts">
      {posts.map((post) => (
        <li>
          <a class="title" href={post.url}>
            {post.title}
          </a>
          <p class="meta">
            <time datetime={post.date}>{post.date.slice(0, 10)}</time>
            {post.author && ` · ${post.author}`}
            {post.categories.map((name) => (
              <>
                {' · '}
                <a href={listingPath({ kind: 'category', name })}>{name}</a>
              </>
            ))}
          </p>
        </li>
      ))}
    </ol>
  )
}

function Pagination({ listing, page, pages }: { listing: Listing; page: number; pages: number }) {
  return (
    <PageNav page={page} pages={pages} href={(n) => pagePath(listing, n)} label="Pages" prev="Newer" next="Older" />
  )
}
