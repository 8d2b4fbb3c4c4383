import type { SiteIndex } from '../../shared/schema.ts'
import { Layout } from './Layout.tsx'

export function HomePage({ siteName, index }: { siteName: string; index: SiteIndex }) {
  return (
    <Layout siteName={siteName} title={siteName}>
      <h1>Latest</h1>
      <ol class="posts">
        {index.latest.map((post) => (
          <li>
            <a href={post.url}>{post.title}</a>
            <div class="meta">
              <time datetime={post.date}>{post.date.slice(0, 10)}</time>
              {post.author && ` · ${post.author}`}
            </div>
          </li>
        ))}
      </ol>
    </Layout>
  )
}
