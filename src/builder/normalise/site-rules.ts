/**
 * Clutter rules: CSS selectors (css-select syntax) of page furniture that the
 * mirror copied along with the article — ad slots, paywall placeholders,
 * share bars, "related" blocks, comment threads, duplicated titles and
 * bylines. Matching elements are removed with everything inside them.
 *
 * GLOBAL_CLUTTER applies to every post; SITE_CLUTTER is keyed by the host of
 * the post's `from` URL and also applies to its subdomains (`medium.com`
 * covers `hulitw.medium.com`). Found by studying ../shared/corpus: text that
 * repeats across a site's posts is furniture (see docs/rendering.md).
 */

export const GLOBAL_CLUTTER: readonly string[] = [
  // Ad slots (Google Publisher Tag / DFP, AdSense, Innity).
  '[id^="dfp-ad"]',
  '[id^="div-gpt-ad"]',
  '[id^="innity"]',
  '.adsbygoogle',
  // Paywall placeholders (class tokens, not substrings: iYouPort tags articles `tag-paywall`).
  '.paywall',
  '.cx_paywall_placeholder',
  // Share bars and "related" blocks of common CMS plugins.
  '.sharedaddy',
  '.jp-relatedposts',
  '.addtoany_share_save_container',
  '.service-links',
  // Comment threads of the source site.
  '#comments',
  '.comment-wrapper',
  // Hidden at the source: never visible to its readers.
  '[hidden]',
  '[style*="display:none"]',
  '[style*="display: none"]',
  // Tracking pixels (Medium's RSS beacon, WordPress stats, Feedburner).
  'img[width="1"][height="1"]',
  'img[src*="medium.com/_/stat"]',
  'img[src*="pixel.wp.com"]',
  'img[src*="feeds.feedburner.com/~r/"]',
]

export const SITE_CLUTTER: Readonly<Record<string, readonly string[]>> = {
  // 联合早报 (the seed): the in-article ad section (its slots and paywall placeholder are global rules).
  'zaobao.com': ['section#imu'],
  'zaobao.com.sg': ['section#imu'],
  // iYouPort (WordPress + Jetpack): title and category/date/word-count line
  // repeat the page header; tags, "published" footer, ad tags.
  'iyouport.org': [
    'header.entry-header',
    '.entry-meta .cat-links',
    '.entry-meta .published-on',
    '.entry-meta .word-count',
    '.entry-footer',
    '.entry-author-wrapper',
    '[id^="atatags-"]',
  ],
  // Nei.st (WordPress mirror of Medium publications): title header, ad cards,
  // publication logos and "more from" promos, "Related" lists, category footer,
  // a paywall notice and a decorative "404" lede.
  'nei.st': [
    'header.page-header',
    '.code-block',
    '.post-sidebar',
    '.container.wsj',
    '[class*="__link-logo"]',
    'section.collection',
    '.streamItem--heading',
    '.streamItem--heading + section',
    'section.wxyz',
    '.bqdn',
    '[class*="BarrierFailsafe"]',
    '.nykpaywall',
    '.fullscreen_dek_below',
    'footer.entry-footer',
  ],
  // 泡泡 (Drupal): RDF metadata, the "submitted by … on …" line, hidden labels,
  // duplicated title, share links, "您可能感兴趣的文章" (related), comment links and pager.
  'pao-pao.net': [
    '.rdf-meta',
    '.submitted',
    '.element-hidden',
    '.element-invisible',
    '.field-name-title',
    '.field-name-service-links-displays-group',
    '[id^="block-views-articles-related"]',
    'ul.links',
    '.pager',
  ],
  // 中参馆 (ChinaFile, Drupal): empty comment-link navigation.
  'chinafile.com': ['nav.links'],
  // 燕京书评 (allnow.com): column badge with a duplicated title, and the author avatar line.
  'allnow.com': ['.column-wrap', '.author-wrap'],
}

/** The selectors for a post from `host`: global ones, then the site's and its parent domains'. */
export function clutterSelectors(host: string | undefined): string[] {
  const selectors = [...GLOBAL_CLUTTER]
  if (!host) return selectors
  const labels = host
    .toLowerCase()
    .replace(/^www\./, '')
    .split('.')
  for (let i = 0; i < labels.length - 1; i++) {
    const rules = SITE_CLUTTER[labels.slice(i).join('.')]
    if (rules) selectors.push(...rules)
  }
  return selectors
}
