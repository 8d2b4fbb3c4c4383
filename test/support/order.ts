/** Listing order, stated independently of the code under test: newest date first, then the greater slug (code units). */
export function newestFirst(a: { date: string; slug: string }, b: { date: string; slug: string }): number {
  return a.date !== b.date ? (a.date > b.date ? -1 : 1) : a.slug > b.slug ? -1 : a.slug < b.slug ? 1 : 0
}
