/** Links to the previous and next page of a paged list, and where the reader is. */
export interface PageNavProps {
  page: number
  pages: number
  /** The path of page `n`. */
  href: (n: number) => string
  label: string
  /** Link texts: listings go back in time ("Newer", "Older"), results down the ranking. */
  prev: string
  next: string
}

export function PageNav({ page, pages, href, label, prev, next }: PageNavProps) {
  if (pages <= 1) return null
  return (
    <nav class="pages" aria-label={label}>
      {page > 1 ? (
        <a rel="prev" href={href(page - 1)}>
          ← {prev}
        </a>
      ) : (
        <span />
      )}
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a rel="next" href={href(page + 1)}>
          {next} →
        </a>
      ) : (
        <span />
      )}
    </nav>
  )
}
