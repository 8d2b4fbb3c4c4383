import { raw } from 'hono/html'
import { listingPath } from '../../shared/listings.ts'
import type { StoredPost } from '../../shared/schema.ts'
import type { PageMeta } from '../render/meta.ts'
import { Layout } from './layout.tsx'
import { PostNav } from './post-nav.tsx'

export interface PostPageProps {
  siteName: string
  post: StoredPost
  /** The article body, already rewritten and safe to emit as HTML. */
  bodyHtml: string
  meta: PageMeta
}

export function PostPage({ siteName, post, bodyHtml, meta }: PostPageProps) {
  return (
    <Layout siteName={siteName} title={post.title} lang={meta.lang} head={<PostHead siteName={siteName} meta={meta} />}>
      <article>
        <header>
          <h1>{post.title}</h1>
          <p class="meta">
            <time datetime={post.date}>{post.date.slice(0, 10)}</time>
            {post.author && (
              <>
                {' '}
                · <span class="author">{post.author}</span>
              </>
            )}
            {post.readingMinutes > 0 && <> · {post.readingMinutes} min read</>}
            {post.from && (
              <>
                {' · '}
                <a class="source" href={post.from} rel="noopener noreferrer nofollow">
                  Source
                </a>
              </>
            )}
          </p>
        </header>
        <div class="body">{raw(bodyHtml)}</div>
        <footer class="meta">
          <Terms label="Categories" kind="category" names={post.categories} />
          <Terms label="Tags" kind="tag" names={post.tags} />
        </footer>
      </article>
      <PostNav older={post.older} newer={post.newer} />
    </Layout>
  )
}

/** The post's tags or categories, each linking to its listing. */
function Terms({ label, kind, names }: { label: string; kind: 'tag' | 'category'; names: string[] }) {
  if (names.length === 0) return null
  return (
    <p>
      {label}:{' '}
      {names.map((name, i) => (
        <>
          {i > 0 && ', '}
          <a href={listingPath({ kind, name })}>{name}</a>
        </>
      ))}
    </p>
  )
}

/** Description, canonical URL, Open Graph, Twitter card and JSON-LD for a post. */
function PostHead({ siteName, meta }: { siteName: string; meta: PageMeta }) {
  return (
    <>
      {meta.description && <meta name="description" content={meta.description} />}
      <link rel="canonical" href={meta.canonical} />
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={siteName} />
      <meta property="og:title" content={meta.title} />
      {meta.description && <meta property="og:description" content={meta.description} />}
      <meta property="og:url" content={meta.canonical} />
      {meta.image && <meta property="og:image" content={meta.image} />}
      <meta name="twitter:card" content={meta.image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={meta.title} />
      {meta.description && <meta name="twitter:description" content={meta.description} />}
      {meta.image && <meta name="twitter:image" content={meta.image} />}
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: meta.jsonLd }} />
    </>
  )
}
