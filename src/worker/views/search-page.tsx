import type { Piece } from '../search/highlight.ts'
import { MAX_QUERY_CHARS, MAX_TERMS, SEARCH_PATH } from '../search/query.ts'
import { RESULTS_PER_PAGE, type ResultPage } from '../search/read.ts'
import { Layout } from './layout.tsx'
import { PageNav } from './page-nav.tsx'

/** What the page says: results, or why there are none to show. */
export type SearchOutcome =
  | { kind: 'start' }
  | { kind: 'too-long'; chars: number }
  | { kind: 'too-many'; terms: number }
  | { kind: 'nothing' }
  | { kind: 'bad-page' }
  | { kind: 'results'; page: number; found: ResultPage }
  /** A page past the last one. */
  | { kind: 'no-page'; page: number; pages: number }
  | { kind: 'unavailable' }

export interface SearchPageProps {
  siteName: string
  query: string
  outcome: SearchOutcome
}

/** The path of a results page. */
export function searchPath(query: string, page = 1): string {
  if (!query) return SEARCH_PATH
  return `${SEARCH_PATH}?${new URLSearchParams(page > 1 ? { q: query, page: String(page) } : { q: query })}`
}

export function SearchPage({ siteName, query, outcome }: SearchPageProps) {
  const title = query ? `Search: ${shorten(query)}` : 'Search'
  return (
    <Layout siteName={siteName} title={title} head={<meta name="robots" content="noindex" />}>
      <h1>Search</h1>
      <search aria-label="Search the archive">
        <form class="search-page" action={SEARCH_PATH} method="get">
          <label for="search-query">Words or phrases</label>
          <input
            id="search-query"
            type="search"
            name="q"
            value={[...query].slice(0, MAX_QUERY_CHARS).join('')}
            maxlength={MAX_QUERY_CHARS}
            autocomplete="off"
          />
          <button type="submit">Search</button>
        </form>
      </search>
      <Outcome query={query} outcome={outcome} />
      <Help />
    </Layout>
  )
}

function Outcome({ query, outcome }: { query: string; outcome: SearchOutcome }) {
  switch (outcome.kind) {
    case 'start':
      return null
    case 'too-long':
      return (
        <p role="status">
          This query has {outcome.chars} characters; queries can have at most {MAX_QUERY_CHARS}. Shorten it and search
          again.
        </p>
      )
    case 'too-many':
      return (
        <p role="status">
          This query has {outcome.terms} terms; queries can have at most {MAX_TERMS}. Leave some out and search again.
        </p>
      )
    case 'nothing':
      return <p role="status">“{query}” has no letters, digits or characters to search for.</p>
    case 'bad-page':
      return <p role="status">That page number is not one of this search’s pages.</p>
    case 'unavailable':
      return <p role="status">Search is not available right now. Please try again in a minute.</p>
    case 'no-page':
      return (
        <p role="status">
          There is no page {outcome.page}: the results for “{query}” fill {outcome.pages}{' '}
          {outcome.pages === 1 ? 'page' : 'pages'}. <a href={searchPath(query, outcome.pages)}>Go to the last page</a>.
        </p>
      )
    case 'results':
      return <Results query={query} page={outcome.page} found={outcome.found} />
  }
}

function Results({ query, page, found }: { query: string; page: number; found: ResultPage }) {
  const { count, pages, results } = found
  if (count === 0) return <p role="status">No posts contain “{query}”.</p>
  return (
    <>
      <p class="meta" role="status">
        {count === 1 ? '1 post contains' : `${count} posts contain`} “{query}”
        {pages > 1 && ` · page ${page} of ${pages}`}
      </p>
      <ol class="posts results" start={(page - 1) * RESULTS_PER_PAGE + 1}>
        {results.map((result) => (
          <li>
            <a class="title" href={result.url}>
              <Marked pieces={result.title} />
            </a>
            <p class="meta">
              <time datetime={result.date}>{result.date.slice(0, 10)}</time>
              {result.author && ` · ${result.author}`}
              {result.source && ` · ${result.source}`}
            </p>
            <p class="snippet">
              <Marked pieces={result.snippet} />
            </p>
          </li>
        ))}
      </ol>
      <PageNav
        page={page}
        pages={pages}
        href={(n) => searchPath(query, n)}
        label="Result pages"
        prev="Previous"
        next="Next"
      />
    </>
  )
}

/** Text with its matches in `<mark>`; JSX escapes every piece. */
function Marked({ pieces }: { pieces: Piece[] }) {
  return <>{pieces.map((piece) => (piece.mark ? <mark>{piece.text}</mark> : piece.text))}</>
}

function Help() {
  return (
    <section class="search-help" aria-labelledby="search-help">
      <h2 id="search-help">How search works</h2>
      <ul>
        <li>
          Every term must match: <code>香港 police</code> finds posts with both.
        </li>
        <li>
          Chinese, Japanese and Korean text is matched as written, anywhere: <code>审查</code> finds 审查制度 too.
          Traditional and simplified characters are different characters here: <code>臺灣</code> does not find 台湾, so
          search for both forms when you want both.
        </li>
        <li>
          Other words match whole words, whatever their case and accents: <code>police</code> finds Police, not
          policeman. End a word with <code>*</code> for every word that begins with it: <code>censor*</code>.
        </li>
        <li>
          Quotes make a phrase: <code>"hong kong"</code> finds the words together and in this order; so does{' '}
          <code>hong-kong</code>.
        </li>
        <li>
          There is no OR, NOT or other operator: such words are searched for as words. Punctuation only separates.
        </li>
        <li>
          Queries can have up to {MAX_QUERY_CHARS} characters and {MAX_TERMS} terms. Titles count most, then authors,
          tags and categories, then the text; equally good matches are listed newest first.
        </li>
      </ul>
    </section>
  )
}

function shorten(query: string): string {
  const chars = [...query]
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : query
}
