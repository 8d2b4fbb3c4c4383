/**
 * Every way text may leave a post body, each a named rule with its reason.
 * The build counts what each rule removes from each post (`<out>/removed.json`)
 * and warns when rules take much of a post (see docs/rendering.md).
 *
 * GLOBAL_RULES apply to every post and are only for what can never be article
 * text: ad slots, paywall placeholders, named share/related plugins, tracking
 * pixels, elements the source hid. Everything else is per site: SITE_RULES is
 * keyed by the host of the post's `from` URL (without `www.`) and also applies
 * to its subdomains (`medium.com` covers `hulitw.medium.com`); a site rule is
 * reported as `<site>/<name>`. A comment thread is never a global rule: on
 * one site it is the article (ChinaFile's Conversations), on another spam.
 * Found by studying ../shared/corpus; "posts" and "characters" in the comments
 * below are measured there (notes: /work/notes/r2-nothing-lost.md).
 */

/** A CSS selector (css-select syntax) of furniture: matching elements go with everything inside them. */
export interface ClutterRule {
  name: string
  selector: string
  why: string
}

/**
 * A thread of reader comments. Each comment that spam.ts judges spam goes;
 * genuine ones stay below the article in a collapsed "Reader comments"
 * section; the thread's own furniture (headings, form title, pager) goes.
 */
export interface CommentRule {
  name: string
  /** The thread. */
  thread: string
  /** One comment inside it. */
  comment: string
  why: string
}

export interface SiteRules {
  clutter: readonly ClutterRule[]
  comments?: CommentRule
}

/** A rule as applied to one post: `name` is qualified with the site for site rules. */
export interface AppliedRules {
  clutter: ClutterRule[]
  comments: CommentRule[]
}

export const GLOBAL_RULES: readonly ClutterRule[] = [
  {
    name: 'ad-slots',
    selector: '[id^="dfp-ad"], [id^="div-gpt-ad"], [id^="innity"], .adsbygoogle',
    why: 'ad slots of Google Publisher Tag / DFP, AdSense and Innity',
  },
  {
    // Class tokens, not substrings: iYouPort tags articles `tag-paywall`.
    name: 'paywall-placeholders',
    selector: '.paywall, .cx_paywall_placeholder',
    why: 'paywall placeholders (Piano/Cxense), empty or a subscription pitch',
  },
  {
    name: 'share-and-related-plugins',
    selector: '.sharedaddy, .jp-relatedposts, .addtoany_share_save_container, .service-links',
    why: 'share bars and related-post lists of Jetpack, AddToAny and Drupal Service Links',
  },
  {
    name: 'hidden-at-source',
    selector: '[hidden], [style*="display:none"], [style*="display: none"]',
    why: 'never shown to the source’s readers (corpus: ai2html chart variants for other screen widths, 2 nei.st posts)',
  },
  {
    name: 'tracking-pixels',
    selector:
      'img[width="1"][height="1"], img[src*="medium.com/_/stat"], img[src*="pixel.wp.com"], img[src*="feeds.feedburner.com/~r/"]',
    why: 'tracking pixels (Medium’s RSS beacon, WordPress stats, Feedburner)',
  },
]

/** 联合早报 (the seed): its ad slots and paywall placeholder are global rules; the section around them is its own. */
const ZAOBAO: SiteRules = {
  clutter: [{ name: 'ad-section', selector: 'section#imu', why: 'the in-article ad section (no text)' }],
}

export const SITE_RULES: Readonly<Record<string, SiteRules>> = {
  'zaobao.com': ZAOBAO,
  'zaobao.com.sg': ZAOBAO,
  // iYouPort (WordPress + Jetpack).
  'iyouport.org': {
    clutter: [
      {
        name: 'title-header',
        selector: 'header.entry-header',
        why: 'the source’s title and byline (109 posts); the page’s own title and byline show them',
      },
      {
        name: 'entry-meta',
        selector: '.entry-meta .cat-links, .entry-meta .published-on, .entry-meta .word-count',
        why: 'category, date and word-count line, repeating the page header (107 posts)',
      },
      {
        name: 'entry-footer',
        selector: '.entry-footer, .entry-author-wrapper',
        why: 'tags and the "published … by" footer (98 posts); tags are front matter',
      },
      { name: 'ad-tags', selector: '[id^="atatags-"]', why: 'WordAds slots' },
    ],
  },
  // Nei.st (WordPress mirror of Medium publications).
  'nei.st': {
    clutter: [
      {
        name: 'title-header',
        selector: 'header.page-header',
        why: 'the source’s title header (77 posts); the page’s own title shows it',
      },
      {
        name: 'title-again',
        selector: 'h1.page-title',
        why: 'a second copy of the title inside the lead-image block (3 posts)',
      },
      {
        name: 'dek-again',
        selector: '.page-header__content .blog-post__description, .article-template__header .article-template__rubric',
        why: 'a second copy of the dek inside the lead-image block (2 posts); the first copy stays',
      },
      {
        name: 'ads',
        selector: '.code-block, .post-sidebar, .container.wsj',
        why: 'ad cards and the sidebar (no text)',
      },
      {
        name: 'publication-logos',
        selector: '[class*="__link-logo"]',
        why: 'publication logo links ("端傳媒 Initium Media" ×6)',
      },
      {
        name: 'related',
        selector: 'section.collection, .streamItem--heading, .streamItem--heading + section, section.wxyz',
        why: '"Related" lists and "MORE from …" promos (41 posts, 0 article paragraphs)',
      },
      {
        name: 'paywall-notices',
        selector: '[class*="BarrierFailsafe"], .nykpaywall',
        why: 'paywall notices ("You’ve hit the wall." ×4)',
      },
      {
        name: 'paywall-buttons',
        selector: '[class*="subscribeButton__"], [class*="signInButton__"]',
        why: 'Caixin’s subscribe / sign-in buttons in its paywall box: icon-font letters ("P", "b") linking to the mirror, 1 post',
      },
      {
        name: 'end-banners',
        selector: '.bqdn, .fullscreen_dek_below',
        why: 'the publication’s end banner ("No More." ×7) and a decorative lede ("肆零肆" ×15)',
      },
      {
        name: 'category-footer',
        selector: 'footer.entry-footer',
        why: 'categories ("The Economist" ×10); categories are front matter',
      },
    ],
  },
  // 泡泡 (Drupal 7).
  'pao-pao.net': {
    clutter: [
      {
        name: 'byline',
        selector: '.rdf-meta, .submitted',
        why: 'RDF metadata and "任平生 在 星期三, 04/16/2014 - 11:49 提交" (20 posts); the name is front matter `author` in 20/20',
      },
      {
        name: 'hidden-labels',
        selector: '.element-hidden, .element-invisible',
        why: 'labels the source hid with CSS (image file names)',
      },
      { name: 'title-again', selector: '.field-name-title', why: 'the source’s title; the page’s own title shows it' },
      { name: 'share-links', selector: '.field-name-service-links-displays-group', why: 'share links' },
      {
        name: 'related',
        selector: '[id^="block-views-articles-related"]',
        why: '"您可能感兴趣的文章" (related articles, 19 posts)',
      },
      {
        name: 'links-and-pager',
        selector: 'ul.links, .pager, .comment-permalink',
        why: '"回复"/"永久连接" links and the comment pager',
      },
    ],
    // Evidence (corpus): 20 posts have `div#comments.comment-wrapper`, 19 with comments, 188 in all
    // (page 1 of each thread only). All 188 are by unverified names, posted 2019-04-17…2019-06-06 on
    // articles of 2014–2017, with no CJK character on a Chinese site, and contain link markup the
    // bot typed and Drupal escaped, e.g. `Ranbaxy Amoxicillin Cialis De Marque <a href=
    // http://deantxi.com>cialis prices</a>`: spam.ts calls 188 of 188 spam and 0 of 12,038 article
    // paragraphs. Genuine comments would be kept, collapsed, below the article; none exists yet.
    comments: {
      name: 'reader-comments',
      thread: '#comments',
      comment: '.comment',
      why: 'reader comments judged spam by spam.ts (188 of 188 in the corpus), and the thread’s headings and form title',
    },
  },
  // 中参馆 (ChinaFile, Drupal). In its 3 Conversation posts the thread `div#comments` holds the
  // contributors' answers (12 answers, 69 paragraphs, 83–91 % of each post): the article. Only its
  // heading is furniture. No reader comments appear in the corpus.
  'chinafile.com': {
    clutter: [
      { name: 'comment-links', selector: 'nav.links', why: 'empty comment-link navigation' },
      {
        name: 'comments-heading',
        selector: '#comments > h2.title',
        why: 'the "Comments" heading over a Conversation’s answers (3 posts); the answers stay',
      },
    ],
  },
  // 燕京书评 (allnow.com).
  'allnow.com': {
    clutter: [
      {
        name: 'column-badge',
        selector: '.column-wrap',
        why: 'the column badge "燕京书评" with the title again (6 posts)',
      },
      { name: 'author-line', selector: '.author-wrap', why: 'the author avatar line ("余雅琴 7-26")' },
    ],
  },
}

/**
 * The sanitiser's removals with text, named like the rules. (titleOnce is not
 * counted: the heading it drops is the title, which the page shows.)
 */
export const SANITISE_RULE = {
  name: 'sanitise',
  why: 'elements the HTML policy never serves (form controls, SVG, MathML, embedded objects), with their text',
} as const

/** The rules for a post from `host`: global ones, then the site's and its parent domains'. */
export function rulesFor(host: string | undefined): AppliedRules {
  const applied: AppliedRules = { clutter: [...GLOBAL_RULES], comments: [] }
  for (const [site, rules] of sitesOf(host)) {
    applied.clutter.push(...rules.clutter.map((rule) => ({ ...rule, name: `${site}/${rule.name}` })))
    if (rules.comments) applied.comments.push({ ...rules.comments, name: `${site}/${rules.comments.name}` })
  }
  return applied
}

function sitesOf(host: string | undefined): [string, SiteRules][] {
  if (!host) return []
  const labels = host
    .toLowerCase()
    .replace(/^www\./, '')
    .split('.')
  const out: [string, SiteRules][] = []
  for (let i = 0; i < labels.length - 1; i++) {
    const site = labels.slice(i).join('.')
    if (SITE_RULES[site]) out.push([site, SITE_RULES[site]])
  }
  return out
}

/** Why a rule (by the name reports use) removes text. */
export function ruleReason(name: string): string | undefined {
  const [site, local] = name.includes('/') ? name.split('/', 2) : [undefined, name]
  if (!site) return [...GLOBAL_RULES, SANITISE_RULE].find((rule) => rule.name === local)?.why
  const rules = SITE_RULES[site]
  return rules?.comments?.name === local ? rules.comments.why : rules?.clutter.find((rule) => rule.name === local)?.why
}
