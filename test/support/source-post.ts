import { renderMarkdown } from '../../src/builder/markdown.ts'
import { readPost } from '../../src/builder/parse-post.ts'

/** A content file's front matter and its body in HTML, before normalisation: what the output is judged against. */
export function sourcePost(file: string, source: string) {
  const { markdown, ...post } = readPost(file, source)
  return { ...post, html: renderMarkdown(markdown) }
}
