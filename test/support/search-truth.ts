/**
 * Which posts a query should find, worked out apart from the product: from
 * the stored HTML as a browser parses it (parse5), with this file's own rules
 * for where text breaks and what a word is — no tokeniser, no FTS5, no code
 * of src/. Pure JavaScript: the workerd and the Node tests both use it.
 *
 * A post matches when every clause matches one of its fields — the title; the
 * author, tags and categories; the body — each as a reader is served it:
 * - CJK text: that string, anywhere;
 * - a word: not inside a longer word (CJK characters are not part of words);
 * - a prefix: at the start of a word;
 * - a phrase of words: in order, with only punctuation or spaces between.
 * Case, width (full-width Ｌａｔｉｎ) and Latin accents do not count.
 */
import { parseFragment } from 'parse5'
import type { Node } from './html-tree.ts'

/** Elements a browser does not lay out inline by default (HTML's rendering section), and line breaks. */
const NOT_INLINE = new Set([
  ...['address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl'],
  ...['dt', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr'],
  ...['legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol', 'p', 'plaintext', 'pre', 'search', 'section'],
  ...['summary', 'ul', 'xmp', 'table', 'caption', 'colgroup', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'br'],
])

/** The text of an HTML body: text nodes in order, a line break around every block, cell or `<br>`. */
export function servedText(html: string): string {
  let text = ''
  const visit = (node: Node) => {
    if (node.nodeName === '#text') text += (node as { value: string }).value
    const apart = 'tagName' in node && NOT_INLINE.has(node.tagName)
    if (apart) text += '\n'
    if ('childNodes' in node) for (const child of node.childNodes) visit(child)
    if (apart) text += '\n'
  }
  visit(parseFragment(html))
  return text
}

export interface TruthPost {
  url: string
  title: string
  author?: string
  tags: string[]
  categories: string[]
  html: string
}

/** Case, width and Latin accents do not count: compatibility-decomposed, accents dropped, lower case. */
function plain(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
}

/** A post's fields, as compared. */
export function truthFields(post: TruthPost): string[] {
  return [post.title, [post.author ?? '', ...post.tags, ...post.categories].join('\n'), servedText(post.html)].map(
    plain,
  )
}

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc`
const WORD_CHAR = String.raw`(?:(?![${CJK}])[\p{L}\p{N}\p{M}])`
const BETWEEN = String.raw`[^\p{L}\p{N}\p{M}]+`

export type Clause = (field: string) => boolean

export const cjk =
  (text: string): Clause =>
  (field) =>
    field.includes(plain(text))

export const word = (text: string): Clause => regex(`(?<!${WORD_CHAR})${regexLiteral(plain(text))}(?!${WORD_CHAR})`)

export const prefix = (text: string): Clause => regex(`(?<!${WORD_CHAR})${regexLiteral(plain(text))}`)

export const phrase = (...words: string[]): Clause =>
  regex(`(?<!${WORD_CHAR})${words.map((w) => regexLiteral(plain(w))).join(BETWEEN)}(?!${WORD_CHAR})`)

/** A word then CJK text, with nothing or separators between: `2022年`, `2022 年`. */
export const wordThenCjk = (w: string, text: string): Clause =>
  regex(`(?<!${WORD_CHAR})${regexLiteral(plain(w))}[^\\p{L}\\p{N}\\p{M}]*${regexLiteral(plain(text))}`)

function regex(source: string): Clause {
  const re = new RegExp(source, 'u')
  return (field) => re.test(field)
}

function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The URLs of the posts every clause matches (each in some field), sorted. */
export function expectedUrls(
  posts: readonly { url: string; fields: string[] }[],
  clauses: readonly Clause[],
): string[] {
  return posts
    .filter((post) => clauses.every((clause) => post.fields.some(clause)))
    .map((post) => post.url)
    .sort()
}
