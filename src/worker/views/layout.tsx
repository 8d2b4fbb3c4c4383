import type { Child } from 'hono/jsx'
import { MAX_QUERY_CHARS, SEARCH_PATH } from '../search/query.ts'

/** A feed offered for autodiscovery in the page head. */
export interface FeedLink {
  title: string
  href: string
  type: 'application/atom+xml' | 'application/feed+json'
}

export interface LayoutProps {
  siteName: string
  title: string
  lang?: string
  /** Feeds of this page's listing, announced before the site's own. */
  feeds?: FeedLink[]
  /** Page-specific metadata for `<head>` (description, canonical, og:, JSON-LD). */
  head?: Child
  children: Child
}

/** The site's own feeds: every page announces them. */
export function siteFeeds(siteName: string): FeedLink[] {
  return [
    { title: siteName, href: '/feed.xml', type: 'application/atom+xml' },
    { title: siteName, href: '/feed.json', type: 'application/feed+json' },
  ]
}

/** The page shell every HTML response shares: landmarks, skip link, site navigation and search, no script. */
export function Layout({ siteName, title, lang = 'zh', feeds = [], head, children }: LayoutProps) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <meta name="color-scheme" content="light dark" />
        <title>{title === siteName ? title : `${title} · ${siteName}`}</title>
        {head}
        {[...feeds, ...siteFeeds(siteName)].map((feed) => (
          <link rel="alternate" type={feed.type} title={feed.title} href={feed.href} />
        ))}
        <link rel="search" type="application/opensearchdescription+xml" title={siteName} href="/opensearch.xml" />
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <a class="name" href="/">
            {siteName}
          </a>
          <nav aria-label="Site">
            <ul>
              <li>
                <a href="/archive/">Archive</a>
              </li>
              <li>
                <a href="/tags/">Tags</a>
              </li>
              <li>
                <a href="/categories/">Categories</a>
              </li>
            </ul>
          </nav>
          <search aria-label="Site search">
            <form class="search" action={SEARCH_PATH} method="get">
              <label class="visually-hidden" for="site-search">
                Search the archive
              </label>
              <input id="site-search" type="search" name="q" maxlength={MAX_QUERY_CHARS} />
              <button type="submit">Search</button>
            </form>
          </search>
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
        <footer class="site">
          <a href="/feed.xml">Atom feed</a> · <a href="/feed.json">JSON Feed</a> · <a href="/sitemap.xml">Sitemap</a>
        </footer>
      </body>
    </html>
  )
}

/**
 * System fonts with the CJK faces of each platform; a measure of about 40 CJK
 * characters and a line height CJK text needs; colours from the reader's
 * light or dark preference; long URLs and tables never widen the page: code
 * wraps, and a wide table scrolls in its region (a tab stop, see the build's
 * tableRegions), so nothing needs a scroll bar a keyboard cannot reach.
 */
const STYLE = `
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fdfdfc;--muted:#5f5f66;--link:#0b57d0;--rule:#dcdce0;--code:#f1f1f4}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ea;--bg:#161618;--muted:#a8a8ae;--link:#8ab4f8;--rule:#3a3a40;--code:#232327}}
*,::before,::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.85 system-ui,-apple-system,"PingFang SC","PingFang TC","Hiragino Sans GB","Noto Sans CJK SC","Noto Sans CJK TC","Source Han Sans SC","Microsoft YaHei","Microsoft JhengHei",sans-serif;line-break:strict;overflow-wrap:break-word}
header.site,main,footer.site{max-width:42rem;margin:0 auto;padding:0 1rem}
header.site{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.25rem 1.5rem;padding-block:1rem;border-bottom:1px solid var(--rule)}
header.site .name{font-weight:600;color:inherit;text-decoration:none}
header.site ul{display:flex;flex-wrap:wrap;gap:0 1rem;margin:0;padding:0;list-style:none}
form.search,form.search-page{display:flex;gap:.375rem;margin:0}form.search-page{flex-wrap:wrap;align-items:center;margin-block:1rem}
input[type=search]{font:inherit;font-size:.9375rem;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:4px;padding:.125rem .5rem;min-width:0;width:11rem}
form.search-page input[type=search]{flex:1 1 16rem;width:auto}
form button{font:inherit;font-size:.9375rem;color:var(--bg);background:var(--link);border:1px solid var(--link);border-radius:4px;padding:.125rem .75rem;cursor:pointer}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
mark{background:#ffe58a;color:#1d1d1f}@media (prefers-color-scheme:dark){mark{background:#5c4a00;color:#f4f4f6}}
ol.results .snippet{margin:.25rem 0 0;font-size:.9375rem}
footer.site{margin-top:3rem;padding-block:1.5rem;border-top:1px solid var(--rule);color:var(--muted);font-size:.875rem}
a{color:var(--link);text-underline-offset:.2em}
:focus-visible{outline:2px solid var(--link);outline-offset:2px}
main:focus{outline:none}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;padding:.25rem .5rem;background:var(--bg)}
h1,h2,h3{line-height:1.4}h1{font-size:1.625rem;margin-block:1.5rem 1rem}h2{font-size:1.25rem}
img,video,iframe{max-width:100%;height:auto}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
[role=region]{max-width:100%;overflow-x:auto}
pre,code{background:var(--code);font-size:.9em}
blockquote{margin-inline:0;padding-inline-start:1rem;border-inline-start:3px solid var(--rule);color:var(--muted)}
.meta{color:var(--muted);font-size:.875rem}
ol.posts{margin:0;padding:0;list-style:none}ol.posts li{margin:1.25rem 0}ol.posts .title{font-size:1.125rem;font-weight:500}ol.posts .meta{margin:.125rem 0 0}
ul.terms{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;padding:0;list-style:none}
nav.pages{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:1rem;margin:2rem 0}
nav.post-nav{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin-top:2.5rem;padding-top:1rem;border-top:1px solid var(--rule)}
nav.post-nav .next{grid-column:2;text-align:end}nav.post-nav span{display:block;color:var(--muted);font-size:.875rem}
@media (max-width:30rem){body{font-size:1rem}nav.post-nav{grid-template-columns:1fr}nav.post-nav .next{grid-column:1;text-align:start}}
@media print{header.site nav,form.search,footer.site,nav.pages,.skip{display:none}body{background:#fff;color:#000}}
`
