import { listingPath } from '../../shared/listings.ts'
import type { ArchiveIndex, TermIndex } from '../../shared/schema.ts'
import { Layout } from './layout.tsx'

export function TermIndexPage({
  siteName,
  kind,
  index,
}: {
  siteName: string
  kind: 'tag' | 'category'
  index: TermIndex
}) {
  const title = kind === 'tag' ? 'Tags' : 'Categories'
  return (
    <Layout siteName={siteName} title={title}>
      <h1>{title}</h1>
      {index.terms.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul class="terms">
          {index.terms.map(({ name, count }) => (
            <li>
              <a href={listingPath({ kind, name })}>{name}</a> <span class="meta">({count})</span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** Years, newest first, each with its months and their post counts. */
export function ArchiveIndexPage({ siteName, index }: { siteName: string; index: ArchiveIndex }) {
  const years = new Map<string, ArchiveIndex['months']>()
  for (const month of index.months) years.set(month.year, [...(years.get(month.year) ?? []), month])
  return (
    <Layout siteName={siteName} title="Archive">
      <h1>Archive</h1>
      {[...years].map(([year, months]) => (
        <section aria-labelledby={`y${year}`}>
          <h2 id={`y${year}`}>
            <a href={listingPath({ kind: 'year', year })}>{year}</a>{' '}
            <span class="meta">({months.reduce((sum, m) => sum + m.count, 0)})</span>
          </h2>
          <ul class="terms">
            {months.map(({ month, count }) => (
              <li>
                <a href={listingPath({ kind: 'month', year, month })}>{`${year}-${month}`}</a>{' '}
                <span class="meta">({count})</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  )
}
