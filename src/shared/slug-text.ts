/**
 * The pure part of slugging, shared by the build (which also cuts long slugs,
 * see builder/slugs.ts) and the worker (which matches old Jekyll links).
 */

/**
 * A URL-safe slug text that keeps CJK and other letters as they are (browsers
 * show them, URLs percent-encode them) and turns everything else — ASCII and
 * full-width punctuation, spaces, `?`, `#`, `[`, `]` — into single hyphens.
 * NFKC first, so full-width Latin letters and digits become ASCII.
 */
export function slugText(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}
