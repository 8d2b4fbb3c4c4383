import type { PostLink } from '../../shared/schema.ts'

/** Links to the site-wide older and newer post, stored with the post by the build. */
export function PostNav({ older, newer }: { older?: PostLink; newer?: PostLink }) {
  if (!older && !newer) return null
  return (
    <nav class="post-nav" aria-label="Older and newer posts">
      {older && (
        <a class="prev" rel="prev" href={older.url}>
          <span>Older</span>
          {older.title}
        </a>
      )}
      {newer && (
        <a class="next" rel="next" href={newer.url}>
          <span>Newer</span>
          {newer.title}
        </a>
      )}
    </nav>
  )
}
