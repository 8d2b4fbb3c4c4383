/**
 * What the search index holds of a post (src/shared/search-index.ts), made
 * from the value the build stores, so it is the text a reader is served: the
 * title, the author, tags and categories, and the body as plain text with a
 * line break around every block, so words of two paragraphs never join.
 */
import { createHash } from 'node:crypto'
import { type KvEntry, keys, SCHEMA_VERSION, type SearchIndexVersion, type StoredPost } from '../shared/schema.ts'
import { MAX_VALUE_BYTES, type SearchDoc, type SearchText } from '../shared/search-index.ts'
import { indexTokens } from '../shared/search-text.ts'
import { BLOCK_ELEMENTS } from './normalise/blocks.ts'
import { type ChildNode, isTag, isText, type ParentNode, parseBody } from './normalise/tree.ts'

/** Elements a browser lays out apart from the text around them: text on either side is not one word. */
const BREAKS: ReadonlySet<string> = new Set([
  ...BLOCK_ELEMENTS,
  ...['br', 'hr', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'caption', 'img', 'picture', 'video', 'audio', 'iframe'],
])

/** The body as plain text: text nodes in document order, a line break around every block, white space collapsed, NFC. */
export function plainText(html: string): string {
  let out = ''
  const visit = (node: ParentNode | ChildNode) => {
    if (isText(node)) {
      out += node.data
      return
    }
    if (!('children' in node)) return
    const apart = isTag(node) && BREAKS.has(node.name)
    if (apart) out += '\n'
    for (const child of node.children) visit(child)
    if (apart) out += '\n'
  }
  visit(parseBody(html))
  return out
    .normalize('NFC')
    .replace(/\s+/g, (space) => (space.includes('\n') ? '\n' : ' '))
    .trim()
}

/** A post's search document; `cut` is how many characters of its body were indexed, when not all fit. */
export function searchDoc(post: StoredPost): { doc: SearchDoc; cut?: number } {
  const terms = [...new Set([...post.tags, ...post.categories])]
  const body = plainText(post.html)
  const text: SearchText = {
    title: post.title.normalize('NFC'),
    meta: [post.author ?? '', ...terms].filter(Boolean).join('\n').normalize('NFC'),
    body: fitBody(body),
  }
  const fields = {
    slug: post.slug,
    url: post.url,
    title: post.title,
    date: post.date,
    author: post.author,
    source: post.from,
    text,
  }
  const hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32)
  return { doc: { ...fields, hash }, cut: text.body.length < body.length ? text.body.length : undefined }
}

/**
 * The longest start of the body whose text and tokens stay under D1's value
 * limit. Tokens take at most 7/3 of the text's UTF-8 bytes (a CJK character:
 * 3 bytes of text, two 3-byte characters and a space of tokens), so almost
 * every body is checked by its size alone.
 */
function fitBody(body: string): string {
  let text = body
  for (;;) {
    const bytes = Buffer.byteLength(text)
    if (bytes * 7 <= MAX_VALUE_BYTES * 3) return text
    const tokenBytes = Buffer.byteLength(indexTokens(text))
    const over = Math.max(bytes, tokenBytes) / MAX_VALUE_BYTES
    if (over <= 1) return text
    let end = Math.floor(text.length / over) - 1
    // Never between the halves of a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--
    text = text.slice(0, end)
  }
}

/**
 * The KV entry naming the whole index (keys.searchIndex): a hash over every
 * published post's slug and row hash, in slug order. Search responses read it,
 * so their validators change when any row does.
 */
export function searchIndexEntry(rows: readonly (readonly [slug: string, hash: string])[]): KvEntry {
  const hash = createHash('sha256')
  for (const [slug, row] of [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
    hash.update(`${slug}\0${row}\n`)
  const value: SearchIndexVersion = {
    schema: SCHEMA_VERSION,
    posts: rows.length,
    hash: hash.digest('hex').slice(0, 32),
  }
  return { key: keys.searchIndex, value: JSON.stringify(value) }
}
