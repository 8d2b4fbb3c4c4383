import MarkdownIt from 'markdown-it'

/**
 * CommonMark with raw HTML passed through: post bodies are mostly the source
 * site's HTML, which the build's sanitiser and the worker's rewrite handle.
 * linkify and typographer stay off so the text is what the source wrote.
 */
const md = new MarkdownIt('commonmark', { html: true })

export function renderMarkdown(source: string): string {
  return md.render(source)
}
