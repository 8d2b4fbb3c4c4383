import type { StoredPost } from '../../shared/schema.ts'
import { cleanText, element, textElement, XML_DECLARATION } from './feeds-xml.ts'

/** What a feed says about itself. URLs are absolute. */
export interface FeedInfo {
  title: string
  /** The listing page the feed follows. */
  pageUrl: string
  /** This feed. */
  feedUrl: string
  lang: string
  /** Named as the feed's author, so every Atom entry has one. */
  author: string
}

export interface FeedItem {
  post: StoredPost
  /** Absolute URL of the article. */
  url: string
  /** The article body, rewritten as the article page shows it, with absolute URLs. */
  html: string
}

/**
 * Root-relative URLs (`/img/…`, `/2022/…`) in double-quoted src, href, poster
 * and srcset attributes — the form the renderer writes — made absolute: feed
 * readers show the HTML away from this site, and many ignore xml:base.
 */
export function absoluteUrls(html: string, origin: string): string {
  const absolute = (url: string) => (url.startsWith('/') && !url.startsWith('//') ? origin + url : url)
  return html
    .replace(
      /(\s(?:src|href|poster)=")(\/[^"]*)"/g,
      (_, attribute: string, url: string) => `${attribute}${absolute(url)}"`,
    )
    .replace(/(\ssrcset=")([^"]*)"/g, (_, attribute: string, list: string) => {
      const candidates = list.split(',').map((candidate) => candidate.trim().replace(/^\S+/, absolute))
      return `${attribute}${candidates.join(', ')}"`
    })
}

/** When a feed has no entries, it has not been updated since… ever. */
const NEVER = '1970-01-01T00:00:00.000Z'

function lastChange(post: StoredPost): string {
  return post.updated ?? post.date
}

function terms(post: StoredPost): string[] {
  return [...new Set([...post.tags, ...post.categories])]
}

/** Atom (RFC 4287), full content as escaped HTML; relative links resolve against the article (xml:base). */
export function atomFeed(info: FeedInfo, items: FeedItem[]): string {
  // The latest ISO date: compared as strings, so not Math.max.
  const updated = items.map((item) => lastChange(item.post)).reduce((a, b) => (b > a ? b : a), NEVER)
  return (
    XML_DECLARATION +
    element(
      'feed',
      { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': info.lang },
      textElement('title', info.title),
      textElement('id', info.feedUrl),
      element('link', { rel: 'self', type: 'application/atom+xml', href: info.feedUrl }),
      element('link', { rel: 'alternate', type: 'text/html', href: info.pageUrl }),
      textElement('updated', updated),
      element('author', {}, textElement('name', info.author)),
      ...items.map(atomEntry),
    )
  )
}

function atomEntry({ post, url, html }: FeedItem): string {
  return element(
    'entry',
    {},
    textElement('title', post.title),
    element('link', { rel: 'alternate', type: 'text/html', href: url }),
    textElement('id', url),
    textElement('published', post.date),
    textElement('updated', lastChange(post)),
    post.author ? element('author', {}, textElement('name', post.author)) : '',
    ...terms(post).map((term) => element('category', { term })),
    // The article this post mirrors.
    post.from ? element('link', { rel: 'via', type: 'text/html', href: post.from }) : '',
    post.description ? textElement('summary', post.description) : '',
    textElement('content', html, { type: 'html', 'xml:base': url }),
  )
}

/** JSON Feed 1.1. JSON escapes everything itself; text is cleaned as for Atom so both feeds say the same. */
export function jsonFeed(info: FeedInfo, items: FeedItem[]): string {
  const clean = (text: string | undefined) => (text === undefined ? undefined : cleanText(text))
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: clean(info.title),
    home_page_url: info.pageUrl,
    feed_url: info.feedUrl,
    language: info.lang,
    authors: [{ name: clean(info.author) }],
    items: items.map(({ post, url, html }) => ({
      id: url,
      url,
      external_url: post.from,
      title: clean(post.title),
      content_html: clean(html),
      summary: clean(post.description),
      date_published: post.date,
      date_modified: lastChange(post),
      authors: post.author ? [{ name: clean(post.author) }] : undefined,
      tags: terms(post).map(cleanText),
    })),
  })
}
