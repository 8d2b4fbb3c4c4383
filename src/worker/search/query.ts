import { CJK, cjkTokens, fold, runs, WORD } from '../../shared/search-text.ts'

/** The results page's path: the one page route that reads its query string (`q`, `page`). */
export const SEARCH_PATH = '/search'

/**
 * What a reader types, parsed by us: never an error, and never passed to FTS5
 * as typed. The FTS5 expression is built from our own tokens, each quoted, and
 * bound as one value, so no input can be SQL or FTS5 syntax.
 *
 *   香港 police      every term must match (AND)
 *   censor*          a word beginning with "censor" (2+ letters before the *)
 *   "hong kong"      a phrase: these words in this order, only separators between
 *   hong-kong, u.s.  a chunk with separators inside is a phrase too
 *   香港             CJK: that exact string, anywhere in a run of CJK text
 *
 * There is no OR, NOT, NEAR or column syntax: those are plain words, and
 * `-`, `(`, `)`, `:` are separators.
 */

/** Characters of a query (code points); a longer one gets a page saying so. */
export const MAX_QUERY_CHARS = 256
/** Terms (words, phrases) of a query; more get a page saying so. */
export const MAX_TERMS = 16
/** Letters a prefix needs before its `*`. */
const MIN_PREFIX = 2

/** A word (folded) or a string of CJK characters; a word may be a prefix. */
export interface Segment {
  kind: 'word' | 'cjk'
  text: string
  prefix: boolean
}

/** One segment, or a phrase of several in order. */
export type Term = readonly Segment[]

export type ParsedQuery =
  | { kind: 'empty' }
  | { kind: 'too-long'; chars: number }
  | { kind: 'too-many'; terms: number }
  /** Only separators: nothing to search for. */
  | { kind: 'nothing' }
  | { kind: 'terms'; terms: Term[] }

/** Quotation marks that open or close a phrase (full-width " folds to ASCII). */
const QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u300c\u300d\u300e\u300f]/g

export function parseQuery(query: string): ParsedQuery {
  const chars = [...query].length
  if (query.trim() === '') return { kind: 'empty' }
  if (chars > MAX_QUERY_CHARS) return { kind: 'too-long', chars }
  const text = fold(query.normalize('NFC')).replace(QUOTES, '"')
  const terms: Term[] = []
  const seen = new Set<string>()
  const add = (term: Term) => {
    const key = JSON.stringify(term)
    if (term.length > 0 && !seen.has(key)) {
      seen.add(key)
      terms.push(term)
    }
  }
  // Quoted parts (an unclosed quote runs to the end) are phrases; elsewhere white space separates terms.
  for (const [i, part] of text.split('"').entries()) {
    if (i % 2 === 1) add(segments(part))
    else for (const chunk of part.split(/\s+/)) add(segments(chunk))
  }
  if (terms.length === 0) return { kind: 'nothing' }
  if (terms.length > MAX_TERMS) return { kind: 'too-many', terms: terms.length }
  return { kind: 'terms', terms }
}

/** The word and CJK segments of folded text; a `*` right after a word of 2+ characters makes it a prefix. */
function segments(folded: string): Segment[] {
  return runs(folded).map((run) => {
    const text = folded.slice(run.start, run.end)
    if (run.kind === CJK) return { kind: 'cjk', text, prefix: false }
    const prefix = run.kind === WORD && folded[run.end] === '*' && [...text].length >= MIN_PREFIX
    return { kind: 'word', text, prefix }
  })
}

/**
 * The FTS5 expression of the terms (see src/shared/search-text.ts for the
 * tokens): every token a quoted string, a phrase's tokens joined by `+`,
 * terms by AND. A CJK string is the phrase of its character pairs; a single
 * character, or one ending a phrase, is a prefix query (it starts a pair or
 * stands alone at the end of a run); a CJK string followed by more of the
 * phrase must end its run there (the lone last character).
 */
export function ftsExpression(terms: readonly Term[]): string {
  return terms
    .map((term) =>
      term
        .flatMap((segment, i) => {
          if (segment.kind === 'word') return [quoted(segment.text) + (segment.prefix ? '*' : '')]
          const tokens = cjkTokens(segment.text)
          const last = tokens.pop()!
          if (i < term.length - 1) return [...tokens, last].map(quoted)
          return tokens.length > 0 ? tokens.map(quoted) : [`${quoted(last)}*`]
        })
        .join(' + '),
    )
    .join(' AND ')
}

/** An FTS5 string: our tokens never hold a `"`, but doubling it is the rule. */
function quoted(token: string): string {
  return `"${token.replaceAll('"', '""')}"`
}
