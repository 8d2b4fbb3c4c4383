import { fold } from '../../shared/search-text.ts'
import type { Term } from './query.ts'

/**
 * Where the terms of a query occur in a text, for marking them on the results
 * page, by the meaning the index implements (src/shared/search-text.ts), over
 * folded text: a CJK string anywhere; a word not inside a longer word; a prefix
 * at a word's start; a phrase's parts in order with only separators between
 * (at least one between two words or two CJK strings).
 */

/** A piece of text to show, marked when it is a match. Text only: the view escapes it. */
export interface Piece {
  text: string
  mark: boolean
}

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc`
const WORD = String.raw`(?:(?![${CJK}])[\p{L}\p{N}\p{M}])`
const SEPARATOR = String.raw`[^\p{L}\p{N}\p{M}]`

const patterns = new WeakMap<Term, RegExp>()

/** The expression of a term over folded text (global, so every match can be walked). */
function pattern(term: Term): RegExp {
  let known = patterns.get(term)
  if (known) return new RegExp(known)
  let source = ''
  for (const [i, segment] of term.entries()) {
    if (i > 0) source += term[i - 1].kind === segment.kind ? `${SEPARATOR}+` : `${SEPARATOR}*`
    if (segment.kind === 'cjk') {
      source += regexLiteral(segment.text)
      continue
    }
    if (i === 0) source += `(?<!${WORD})`
    source += regexLiteral(segment.text)
    if (segment.prefix) source += `${WORD}*`
    else if (i === term.length - 1) source += `(?!${WORD})`
  }
  known = new RegExp(source, 'gu')
  patterns.set(term, known)
  return new RegExp(known)
}

function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Every match of every term in folded[from, to), as merged [start, end) ranges in order. */
function matches(terms: readonly Term[], folded: string, from = 0, to = folded.length): [number, number][] {
  const found: [number, number][] = []
  for (const term of terms) {
    const re = pattern(term)
    // A match may begin a little before the window and reach into it.
    re.lastIndex = Math.max(0, from - 2 * 256)
    for (let m = re.exec(folded); m && m.index < to; m = re.exec(folded)) {
      if (m[0].length === 0) re.lastIndex++
      else if (m.index + m[0].length > from) found.push([m.index, m.index + m[0].length])
    }
  }
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const merged: [number, number][] = []
  for (const range of found) {
    const last = merged.at(-1)
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }
  return merged
}

/** `text[from, to)` cut into pieces, the ranges marked. */
function pieces(text: string, ranges: [number, number][], from: number, to: number): Piece[] {
  const out: Piece[] = []
  let at = from
  for (const [start, end] of ranges) {
    const a = Math.max(start, from)
    const b = Math.min(end, to)
    if (b <= a) continue
    if (a > at) out.push({ text: text.slice(at, a), mark: false })
    out.push({ text: text.slice(a, b), mark: true })
    at = b
  }
  if (at < to) out.push({ text: text.slice(at, to), mark: false })
  return out
}

/** A whole short text (a title) with every match marked. */
export function highlight(terms: readonly Term[], text: string): Piece[] {
  return pieces(text, matches(terms, fold(text)), 0, text.length)
}

/** Display columns of a snippet: about two lines; a CJK character takes two. */
const SNIPPET_COLUMNS = 180
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/

/**
 * About SNIPPET_COLUMNS of the body around its first match (a third of them
 * before it), every match in it marked, `…` where it cuts the text; the body's
 * start when the match was in the title or tags only.
 */
export function snippet(terms: readonly Term[], body: string): Piece[] {
  const folded = fold(body)
  let first = -1
  for (const term of terms) {
    const re = pattern(term)
    const m = re.exec(folded)
    if (m && (first < 0 || m.index < first)) first = m.index
  }
  let start = Math.max(first, 0)
  for (let width = 0; start > 0 && width < SNIPPET_COLUMNS / 3; start--) width += columns(body[start - 1])
  // Begin at a word when one begins a little after the window's start (and before the match).
  const space = body.indexOf(' ', start)
  if (start > 0 && space >= 0 && space < first && space - start < 20) start = space + 1
  let end = start
  for (let width = 0; end < body.length && width < SNIPPET_COLUMNS; end++) width += columns(body[end])
  // Never between the halves of a surrogate pair.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(body[start])) start--
  if (end < body.length && /[\uDC00-\uDFFF]/.test(body[end])) end++
  const shown = pieces(body, matches(terms, folded, start, end), start, end).map((piece) => ({
    ...piece,
    text: piece.text.replace(/\n/g, ' '),
  }))
  if (start > 0) shown.unshift({ text: '…', mark: false })
  if (end < body.length) shown.push({ text: '…', mark: false })
  return shown
}

function columns(char: string): number {
  return WIDE.test(char) ? 2 : 1
}
