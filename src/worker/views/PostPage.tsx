import { raw } from 'hono/html'
import type { StoredPost } from '../../shared/schema.ts'
import { Layout } from './Layout.tsx'
import { PostNav } from './PostNav.tsx'

export interface PostPageProps {
  siteName: string
  post: StoredPost
  /** The article body, already rewritten and safe to emit as HTML. */
  bodyHtml: string
}

export function PostPage({ siteName, post, bodyHtml }: PostPageProps) {
  return (
    <Layout siteName={siteName} title={post.title}>
      <article>
        <header>
          <h1>{post.title}</h1>
          <p class="meta">
            <time datetime={post.date}>{post.date.slice(0, 10)}</time>
            {post.author && <> · <span class="author">{post.author}</span></>}
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
          {post.categories.length > 0 && <p>Categories: {post.categories.join(', ')}</p>}
          {post.tags.length > 0 && <p>Tags: {post.tags.join(', ')}</p>}
        </footer>
      </article>
      <PostNav older={post.older} newer={post.newer} />
    </Layout>
  )
}
