/**
 * How text is cut for search: the one definition the index (written by deploy,
 * in Node) and the queries (parsed by the worker) share. SQLite's FTS5 only
 * splits at the spaces we put (`tokenize='ascii'`), so what is written here is
 * exactly what the index holds; no Unicode table inside SQLite takes part.
 *
 * - `fold` makes case, width and Latin diacritics not matter. It works per code
 *   point and keeps the UTF-16 length, so an offset in folded text is the same
 *   offset in the original (snippets mark the original text).
 * - Characters are CJK (Han, kana, Hangul: substring search, since Chinese has
 *   no spaces between words), word characters (every other letter, digit or
 *   mark), or separators (everything else: never indexed).
 * - A run of word characters is one token. A run of CJK `c1…cm` gives
 *   `c1c2 c2c3 … c(m-1)cm cm`: one token per character, itself and the next,
 *   the run's last character alone. So a query of n ≥ 2 CJK characters is the
 *   phrase of its n−1 pairs, and one character is the prefix query `"c"*`;
 *   both find exactly the posts holding the string inside one CJK run. The lone
 *   last character also ends the run, so `香港。港人` does not match `香港人`.
 *
 * Traditional and Simplified characters are different code points and stay
 * different: 臺灣 does not find 台湾.
 */

/** Character classes. */
export const SEPARATOR = 0
export const WORD = 1
export const CJK = 2
export type CharClass = typeof SEPARATOR | typeof WORD | typeof CJK

const CJK_CHAR = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]$/u
const LETTER_DIGIT_MARK = /^[\p{L}\p{N}\p{M}]$/u
const LATIN_MARKS = /^[\u0300-\u036f]+$/

const classes = new Map<number, CharClass>()

/** The class of a code point (folded text). */
export function charClass(cp: number): CharClass {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) ? 1 : 0
  if (cp >= 0x4e00 && cp <= 0x9fff) return CJK
  let known = classes.get(cp)
  if (known === undefined) {
    const char = String.fromCodePoint(cp)
    known = !LETTER_DIGIT_MARK.test(char) ? SEPARATOR : CJK_CHAR.test(char) ? CJK : WORD
    classes.set(cp, known)
  }
  return known
}

const folds = new Map<number, string>()

/**
 * One code point folded: NFKC when that is one code point of the same UTF-16
 * length (full-width `Ａ` → `A`, `　` → space, half-width kana → full-width,
 * compatibility ideographs → unified), then the base letter when the rest is
 * only combining Latin diacritics (`é` → `e`), then lower case when that is one
 * code point. Anything else stays as it is (`ß`, `ﬁ`: expanding them would
 * change lengths).
 */
function foldCodePoint(cp: number): string {
  let folded = folds.get(cp)
  if (folded !== undefined) return folded
  const original = String.fromCodePoint(cp)
  const same = (s: string) => s.length === original.length && [...s].length === 1
  let char = original
  const compatible = char.normalize('NFKC')
  if (same(compatible)) char = compatible
  const decomposed = char.normalize('NFD')
  const base = String.fromCodePoint(decomposed.codePointAt(0)!)
  if (decomposed.length > base.length && LATIN_MARKS.test(decomposed.slice(base.length)) && same(base)) char = base
  const lower = char.toLowerCase()
  if (same(lower)) char = lower
  folded = char
  folds.set(cp, folded)
  return folded
}

/** Folded text, of the same UTF-16 length (see foldCodePoint). */
export function fold(text: string): string {
  let out = ''
  let copied = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    // Fast paths: ASCII other than capitals, and the main CJK block, fold to themselves.
    if (unit < 0x41 || (unit > 0x5a && unit < 0x80) || (unit >= 0x4e00 && unit <= 0x9fff)) continue
    if (unit <= 0x5a) {
      out += text.slice(copied, i) + String.fromCharCode(unit + 32)
      copied = i + 1
      continue
    }
    const cp = text.codePointAt(i)!
    const width = cp > 0xffff ? 2 : 1
    const folded = foldCodePoint(cp)
    if (folded !== text.slice(i, i + width)) {
      out += text.slice(copied, i) + folded
      copied = i + width
    }
    i += width - 1
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/** A maximal run of one class in folded text: [start, end) in UTF-16 units. */
export interface Run {
  kind: typeof WORD | typeof CJK
  start: number
  end: number
}

/** The word and CJK runs of folded text, in order; separators between them are skipped. */
export function runs(folded: string): Run[] {
  const out: Run[] = []
  let i = 0
  while (i < folded.length) {
    const cp = folded.codePointAt(i)!
    const kind = charClass(cp)
    if (kind === SEPARATOR) {
      i += cp > 0xffff ? 2 : 1
      continue
    }
    let end = i
    while (end < folded.length) {
      const next = folded.codePointAt(end)!
      if (charClass(next) !== kind) break
      end += next > 0xffff ? 2 : 1
    }
    out.push({ kind, start: i, end })
    i = end
  }
  return out
}

/** The CJK tokens of one run: each character with its successor, then the last character alone. */
export function cjkTokens(run: string): string[] {
  const chars = [...run]
  const tokens: string[] = []
  for (let i = 0; i < chars.length - 1; i++) tokens.push(chars[i] + chars[i + 1])
  tokens.push(chars[chars.length - 1])
  return tokens
}

/** The index's tokens for a text, joined by single spaces: what FTS5's `ascii` tokenizer splits back. */
export function indexTokens(text: string): string {
  const folded = fold(text)
  const tokens: string[] = []
  for (const run of runs(folded)) {
    const part = folded.slice(run.start, run.end)
    if (run.kind === WORD) tokens.push(part)
    else tokens.push(...cjkTokens(part))
  }
  return tokens.join(' ')
}
