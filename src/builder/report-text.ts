/**
 * Text from content files — their names, their front matter — as the build's
 * messages show it. A file name may hold any character but `/` and NUL: a
 * newline would split an error in two, an escape sequence would rewrite the
 * terminal, a bidi control would show the name reversed. Every message stays
 * one line.
 */

/** C0 and C1 controls, DEL, line and paragraph separators, bidi marks, embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g')
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

const escaped = (ch: string) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`

/**
 * A file name as messages show it: unchanged when it is plain (editors and CI
 * logs link `file:line`), else in double quotes with JSON's escapes, so the
 * quoted form says exactly which name it is.
 */
export function shownName(name: string): string {
  if (!UNSAFE.test(name)) return name
  return `"${name.replace(/["\\]/g, '\\$&').replace(UNSAFE_ALL, escaped)}"`
}

/** Message text with its control characters escaped, so it prints as one line. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_ALL, escaped)
}

/** Longest piece of a front-matter value a message quotes: enough to find it, not a 30 MB line. */
const SHOWN_CHARACTERS = 80

/** A front-matter value in a message: text cut short, anything else by its kind (never walked: it may be an alias bomb). */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= SHOWN_CHARACTERS) return value
    return `${value.slice(0, SHOWN_CHARACTERS).replace(/[\ud800-\udbff]$/, '')}…`
  }
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (ArrayBuffer.isView(value)) return 'binary data'
  if (typeof value === 'object') return 'a map'
  return String(value)
}

/** The order of `localeCompare` (names in manifest.json and removed.json), without its cost per call. */
export const byLocale = new Intl.Collator().compare
