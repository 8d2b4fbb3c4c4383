/**
 * Article rendering as a pure function, in Node: the build's normalisation
 * (src/builder/normalise) followed by the edge renderer (src/worker/render),
 * judged by parsing the output the way a browser does (parse5).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compile, selectAll } from 'css-select'
import { type DefaultTreeAdapterMap, parse, parseFragment, serializeOuter } from 'parse5'
import { beforeAll, describe, expect, it } from 'vitest'
import { linkKey, normaliseArticle } from '../../src/builder/normalise/index.ts'
import { dropClutter } from '../../src/builder/normalise/steps/drop-clutter.ts'
import { parseBody, textOf } from '../../src/builder/normalise/tree.ts'
import { buildSite } from '../../src/builder/site.ts'
import { importImageKey, verifyImageProxyPath } from '../../src/shared/image-url.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { RENDER_VERSION, type RenderConfig, renderArticleBody, renderPostPage } from '../../src/worker/render/index.tsx'
import { imageSigner } from '../../src/worker/render/steps/proxy-images.ts'
import { contentDir, corpusDir, fixturesDir, postFiles, siteWith, withoutSharedCorpus } from '../support/corpus.ts'
import { attr, type Element, elementsOf, type Node } from '../support/html-tree.ts'
import { bodyProblems, browserText, pageProblems } from '../support/render-safety.ts'
import { sourcePost } from '../support/source-post.ts'
import { storedPost } from '../support/stored-post.ts'

const SEED_FROM = 'https://www.zaobao.com/realtime/china/story20221115-1333258'
const SEED_IMAGE =
  'https://www.zaobao.com/s3fs-public/styles/article_large_full/public/2022-11/file7mw39clzwr5ddt6sblf.jpg?itok=a-m9EKWV'
const SEED_FILE = '2022-11-15-【G20】王毅谈习拜会：有利推动两国关系重回健康正轨.md'
const XSS_ARTICLE = '2021-06-17-淺談 XSS 攻擊與防禦的各個環節.md'

let config: RenderConfig
/** The test site (content/ and the fixtures) as built, by file name. */
let site: Map<string, StoredPost>

/** content/ plus the posts of `postDir`, built; stored posts by file name. */
async function builtSite(postDir: string): Promise<Map<string, StoredPost>> {
  const build = await buildSite(siteWith(postDir))
  expect(build.errors).toEqual([])
  return new Map(build.posts.map((post) => [post.file.split('/').pop()!, post]))
}

beforeAll(async () => {
  config = { siteName: 'Archive', origin: 'https://archive.example', imageKey: await importImageKey('render-test-key') }
  site = await builtSite(fixturesDir)
}, 120_000)

/** A stored post whose html was never normalised: what the edge does on its own. */
function rawPost(html: string): StoredPost {
  return { ...storedPost(''), html }
}

function fragment(html: string): Node {
  const context = parseFragment('<div></div>').childNodes[0] as Element
  return parseFragment(context, html, {})
}

describe('the seed post', () => {
  const name = SEED_FILE
  const seed = () => site.get(name)!
  const seedSource = () => sourcePost(name, readFileSync(join(contentDir, 'posts', name), 'utf8'))

  it('loses its ad slots and paywall placeholder at build time, and nothing else', () => {
    const root = parseBody(seedSource().html)
    const clutter = compile(
      'section#imu, #dfp-ad-imu1, #innity-in-post, #dfp-ad-midarticlespecial, .cx_paywall_placeholder',
    )
    expect(selectAll(clutter, root.children)).toHaveLength(5)
    const paragraphs = selectAll('p', root.children).length
    dropClutter(root, { source: new URL(SEED_FROM), localLinks: new Map(), linkTargets: new Set(), removed: new Map() })
    expect(selectAll(clutter, root.children)).toHaveLength(0)
    expect(selectAll('p', root.children)).toHaveLength(paragraphs)
  })

  it('renders safe, with every paragraph and its lazy image real and proxied', async () => {
    const body = await renderArticleBody(seed(), config)
    expect(bodyProblems(body, { proxiedImages: true })).toEqual([])
    const root = fragment(body)

    const source = parseBody(seedSource().html)
    const text = browserText(body)
    for (const p of selectAll('p', source.children)) expect(text).toContain(textOf(p).trim())

    const images = elementsOf(root, 'img')
    expect(images).toHaveLength(1)
    const [image] = images
    expect(await verifyImageProxyPath(config.imageKey, attr(image, 'src')!)).toBe(SEED_IMAGE)
    expect(attr(image, 'alt')).toMatch(/^王毅说/)
    expect(attr(image, 'title')).toMatch(/^王毅说/)
    expect(attr(image, 'data-src')).toBeUndefined()
    expect(attr(image, 'loading')).toBeUndefined() // the first image loads eagerly
  })

  it('shows its title once as a heading, and still links its source', async () => {
    // The source repeats the title as a setext heading linking to `from`: `[title](from)` + `------`.
    expect(readFileSync(join(contentDir, 'posts', name), 'utf8')).toContain(`](${SEED_FROM})\n---`)
    const article = elementsOf(parse(await renderPostPage(seed(), config)), 'article')[0]
    const headings = elementsOf(article).filter((e) => /^h[1-6]$/.test(e.tagName))
    const titled = headings.filter((h) => browserText(serializeOuter(h)).trim() === seed().title)
    expect(titled.map((h) => h.tagName)).toEqual(['h1'])
    const sources = elementsOf(article, 'a').filter((a) => attr(a, 'href') === SEED_FROM)
    expect(sources).toHaveLength(1)
    expect(attr(sources[0], 'rel')).toBe('noopener noreferrer nofollow')
    expect(browserText(serializeOuter(sources[0]))).toBe('Source')
  })

  it('has page metadata: title, description, canonical, og/twitter with the proxied image, JSON-LD, lang', async () => {
    const page = await renderPostPage(seed(), config)
    expect(pageProblems(page, { proxiedImages: true })).toEqual([])
    const document = parse(page)
    const html = elementsOf(document, 'html')[0]
    expect(attr(html, 'lang')).toBe('zh-Hans')
    const metas = elementsOf(document, 'meta')
    const meta = (key: string) =>
      attr(metas.find((m) => attr(m, 'property') === key || attr(m, 'name') === key)!, 'content')
    expect(
      elementsOf(document, 'title')[0]
        .childNodes.map((n) => (n as DefaultTreeAdapterMap['textNode']).value)
        .join(''),
    ).toBe('【G20】王毅谈习拜会：有利推动两国关系重回健康正轨 · Archive')
    const description = meta('description')!
    expect(description.startsWith('中美元首星期一（11月14日）举行了历史性的面对面会晤。')).toBe(true)
    const columns = [...description].reduce((sum, c) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0)
    expect(columns).toBeGreaterThan(140) // 160 columns at most, a CJK character taking two
    expect(columns).toBeLessThanOrEqual(160)
    const canonical = attr(elementsOf(document, 'link').find((l) => attr(l, 'rel') === 'canonical')!, 'href')
    expect(canonical).toBe(`https://archive.example${seed().url}`)
    expect(meta('og:url')).toBe(canonical)
    expect(meta('og:title')).toBe(seed().title)
    const ogImage = new URL(meta('og:image')!)
    expect(ogImage.origin).toBe('https://archive.example')
    expect(await verifyImageProxyPath(config.imageKey, ogImage.pathname)).toBe(SEED_IMAGE)
    expect(meta('twitter:image')).toBe(meta('og:image'))
    expect(meta('twitter:card')).toBe('summary_large_image')

    const scripts = elementsOf(document, 'script')
    expect(scripts).toHaveLength(1)
    const jsonLd = JSON.parse((scripts[0].childNodes[0] as DefaultTreeAdapterMap['textNode']).value)
    expect(jsonLd).toMatchObject({
      '@type': 'NewsArticle',
      headline: seed().title,
      datePublished: '2022-11-15T00:45:00.000Z',
      dateModified: '2022-11-15T00:45:00.000Z',
      author: { name: '联合早报' },
      image: [meta('og:image')],
      isBasedOn: SEED_FROM,
      mainEntityOfPage: canonical,
    })
  })
})

describe('safety, as a browser parses the output', () => {
  const NOSCRIPT = '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'
  const COMMENT = '<p>before</p><!-- a --!><img src=x onerror=alert(2)> --><p>after</p>'
  const VECTORS = [
    NOSCRIPT,
    COMMENT,
    '<script>alert(1)</script><p>text</p>',
    '<p onclick="alert(1)" onmouseover=alert(2) style="background:url(https://evil.example/x)">p</p>',
    '<a href="javascript:alert(1)">a</a><a href="JaVaScRiPt:alert(1)">b</a><a href="jav&#x09;ascript:alert(1)">c</a>',
    '<a href="&#106;avascript:alert(1)">d</a><a href="vbscript:msgbox(1)">e</a><a href="data:text/html,<script>alert(1)</script>">f</a>',
    '<img src="javascript:alert(1)"><img src=x onerror=alert(1)><img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<iframe src="https://evil.example/"></iframe><iframe src="javascript:alert(1)"></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf"><applet code="x"></applet>',
    '<form action="https://evil.example/"><input name=q><button formaction="javascript:alert(1)">go</button></form>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><link rel=stylesheet href="https://evil.example/x.css">',
    '<style>body{background:url(https://evil.example/)}</style><div style="width:expression(alert(1))">x</div>',
    '<svg><p><style><img src=x onerror=alert(1)></style></p></svg><math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<template><img src=x onerror=alert(1)></template><xmp><img src=x onerror=alert(1)></xmp><textarea><img src=x onerror=alert(1)></textarea>',
    '<video poster="javascript:alert(1)" src="https://cdn.example/v.mp4"></video><picture><source srcset="javascript:alert(1) 1x, https://cdn.example/a.jpg 2x"><img src="https://cdn.example/a.jpg"></picture>',
    '<a href="https://ok.example/" target="_blank" ping="https://evil.example/">ok</a><p id="main">clobber</p><p name="cookie">x</p>',
  ]

  it.each(VECTORS)('build + edge: %s', async (html) => {
    const body = await renderArticleBody(storedPost(html, 'https://source.example/news/1'), config)
    expect(bodyProblems(body, { proxiedImages: true })).toEqual([])
  })

  it.each(VECTORS)('edge alone, on HTML the build never saw: %s', async (html) => {
    const body = await renderArticleBody(rawPost(html), config)
    expect(bodyProblems(body, { proxiedImages: true })).toEqual([])
  })

  it('turns the linkedom-differential noscript payload into inert text, not an image', async () => {
    for (const post of [storedPost(NOSCRIPT), rawPost(NOSCRIPT)]) {
      const body = await renderArticleBody(post, config)
      expect(elementsOf(fragment(body), 'img')).toEqual([])
      expect(elementsOf(fragment(body), 'noscript')).toEqual([])
    }
  })

  it('removes comments however they end, keeping the text around them', async () => {
    for (const post of [storedPost(COMMENT), rawPost(COMMENT)]) {
      const body = await renderArticleBody(post, config)
      expect(body).not.toMatch(/<!--|--!?>/)
      expect(browserText(body)).toContain('before')
      expect(browserText(body)).toContain('after')
    }
  })

  it('keeps allowlisted players, sandboxed and lazy, and turns other iframes into links', async () => {
    const html =
      '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" onload="alert(1)"></iframe>' +
      '<iframe src="https://cdn.embedly.com/widgets/media.html?src=https%3A%2F%2Fplayer.vimeo.com%2Fvideo%2F1&amp;schema=vimeo"></iframe>' +
      '<iframe src="https://maps.example/embed?q=1"></iframe>'
    const root = fragment(await renderArticleBody(storedPost(html, 'https://source.example/a'), config))
    const iframes = elementsOf(root, 'iframe')
    expect(iframes.map((f) => attr(f, 'src'))).toEqual([
      'https://www.youtube.com/embed/abc',
      'https://player.vimeo.com/video/1',
    ])
    for (const iframe of iframes) {
      expect(attr(iframe, 'sandbox')).toBe('allow-scripts allow-same-origin allow-popups allow-presentation')
      expect(attr(iframe, 'loading')).toBe('lazy')
    }
    const link = elementsOf(root, 'a').find((a) => attr(a, 'href') === 'https://maps.example/embed?q=1')
    expect(link && attr(link, 'rel')).toBe('noopener noreferrer nofollow')
  })

  it('escapes JSON-LD so a title cannot close its script element', async () => {
    const title = '</script><script>alert(1)</script><!--'
    const page = await renderPostPage(storedPost('<p>x</p>', undefined, { title }), config)
    expect(pageProblems(page)).toEqual([])
    const scripts = elementsOf(parse(page), 'script')
    expect(scripts).toHaveLength(1)
    expect(JSON.parse((scripts[0].childNodes[0] as DefaultTreeAdapterMap['textNode']).value).headline).toBe(title)
  })

  it('keeps the XSS article’s quoted payloads as readable text, never markup', async () => {
    const post = site.get(XSS_ARTICLE)!
    const body = await renderArticleBody(post, config)
    expect(bodyProblems(body, { proxiedImages: true })).toEqual([])
    const text = browserText(body)
    for (const payload of [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '<a href="javascript:alert(1)">my website</a>',
      '<meta http-equiv="refresh" content="0;https://example.com">',
    ]) {
      expect(text).toContain(payload)
    }
    const source = parseBody(sourcePost(XSS_ARTICLE, readFileSync(join(fixturesDir, XSS_ARTICLE), 'utf8')).html)
    expect(elementsOf(fragment(body), 'img')).toHaveLength(selectAll('img', source.children).length - 1) // minus Medium's 1×1 beacon
  })
})

describe('rewrite steps', () => {
  it('makes lazy images real, drops placeholders, and shows each picture once', async () => {
    const html =
      '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/a.jpg" alt="a">' +
      '<img src="/spacer.gif" data-original="//cdn.example/b.jpg">' +
      '<img class="jetpack" data-lazy-src="https://cdn.example/c.jpg?pending=1" data-lazy-srcset="https://cdn.example/c-300.jpg 300w, https://cdn.example/c-600.jpg 600w"><noscript><img src="https://cdn.example/c.jpg"></noscript>' +
      '<img data-srcset="https://cdn.example/d-1.jpg 1x, https://cdn.example/d-2.jpg 2x">' +
      '<noscript><img src="https://cdn.example/e.jpg"></noscript>'
    const body = await renderArticleBody(storedPost(html, 'https://source.example/news/1'), config)
    const sources = await Promise.all(
      elementsOf(fragment(body), 'img').map(async (img) => ({
        src: attr(img, 'src') && (await verifyImageProxyPath(config.imageKey, attr(img, 'src')!)),
        srcset: await Promise.all(
          (attr(img, 'srcset') ?? '')
            .split(', ')
            .filter(Boolean)
            .map((c) => verifyImageProxyPath(config.imageKey, c.split(' ')[0])),
        ),
        loading: attr(img, 'loading'),
        decoding: attr(img, 'decoding'),
      })),
    )
    expect(sources).toEqual([
      { src: 'https://source.example/a.jpg', srcset: [], loading: undefined, decoding: undefined },
      { src: 'https://cdn.example/b.jpg', srcset: [], loading: 'lazy', decoding: 'async' },
      { src: 'https://cdn.example/c.jpg', srcset: [], loading: 'lazy', decoding: 'async' },
      {
        src: undefined,
        srcset: ['https://cdn.example/d-1.jpg', 'https://cdn.example/d-2.jpg'],
        loading: 'lazy',
        decoding: 'async',
      },
      { src: 'https://cdn.example/e.jpg', srcset: [], loading: 'lazy', decoding: 'async' },
    ])
  })

  it('resolves relative and protocol-relative URLs against `from`, proxying picture sources and posters', async () => {
    const html =
      '<p><a href="../other/">rel</a> <a href="//cdn.example/x">proto</a> <a href="/root?q=1#frag">root</a></p>' +
      '<picture><source srcset="/p-800.webp 800w" type="image/webp"><img src="p.jpg"></picture>' +
      '<video poster="/poster.jpg" src="/v.mp4" controls></video>'
    const root = fragment(await renderArticleBody(storedPost(html, 'https://source.example/news/2020/story'), config))
    expect(elementsOf(root, 'a').map((a) => attr(a, 'href'))).toEqual([
      'https://source.example/news/other/',
      'https://cdn.example/x',
      'https://source.example/root?q=1#frag',
    ])
    const [source] = elementsOf(root, 'source')
    expect(await verifyImageProxyPath(config.imageKey, attr(source, 'srcset')!.split(' ')[0])).toBe(
      'https://source.example/p-800.webp',
    )
    expect(await verifyImageProxyPath(config.imageKey, attr(elementsOf(root, 'img')[0], 'src')!)).toBe(
      'https://source.example/news/2020/p.jpg',
    )
    const [video] = elementsOf(root, 'video')
    expect(await verifyImageProxyPath(config.imageKey, attr(video, 'poster')!)).toBe(
      'https://source.example/poster.jpg',
    )
    expect(attr(video, 'src')).toBe('https://source.example/v.mp4')
  })

  it('marks external links, keeps links between mirrored posts on this site, and keeps footnote fragments working', async () => {
    const linking = [...site.values()].find((post) => /<a href="\/\d{4}\/\d{2}\/\d{2}\//.test(post.html))
    expect(linking, 'a fixture post linking another mirrored post').toBeDefined()
    const root = fragment(await renderArticleBody(linking!, config))
    const local = elementsOf(root, 'a').filter((a) => attr(a, 'href')!.startsWith('/'))
    expect(local.length).toBeGreaterThan(0)
    const urls = new Set([...site.values()].map((post) => post.url))
    for (const a of local) {
      expect(urls.has(decodeURIComponent(attr(a, 'href')!)) || urls.has(attr(a, 'href')!)).toBe(true)
      expect(attr(a, 'rel')).toBeUndefined()
    }

    const notes = fragment(
      await renderArticleBody(
        storedPost('<p>Claim<a href="#fn1">1</a></p><p id="fn1">Note</p><p id="unused">x</p>', 'https://s.example/'),
        config,
      ),
    )
    const ref = elementsOf(notes, 'a')[0]
    const target = elementsOf(notes, 'p').find((p) => attr(p, 'id'))!
    expect(attr(ref, 'href')).toBe(`#${attr(target, 'id')}`)
    expect(attr(target, 'id')).not.toBe('fn1') // prefixed: cannot clash with the page's own ids
    expect(elementsOf(notes, 'p').filter((p) => attr(p, 'id'))).toHaveLength(1)
  })

  it('signs each image URL once per page: the lead image of the head is the body’s first image', async () => {
    const sign = imageSigner(config.imageKey)
    const first = sign(SEED_IMAGE)
    expect(sign(SEED_IMAGE)).toBe(first)
    expect(await verifyImageProxyPath(config.imageKey, await first)).toBe(SEED_IMAGE)
    const document = parse(await renderPostPage(site.get(SEED_FILE)!, config))
    const ogImage = attr(elementsOf(document, 'meta').find((m) => attr(m, 'property') === 'og:image')!, 'content')!
    expect(new URL(ogImage).pathname).toBe(attr(elementsOf(document, 'img')[0], 'src'))
  })

  it('knows the language, reading time and a CJK-aware description', () => {
    const hant = storedPost('<p>這是一個關於台灣與香港的報導，說明了國際社會對於這些問題的關注與變化。</p>')
    const hans = storedPost('<p>这是一个关于台湾与香港的报道，说明了国际社会对于这些问题的关注与变化。</p>')
    const en = storedPost('<p>This is a report about the press in Hong Kong and how the world watches it change.</p>')
    expect([hant.lang, hans.lang, en.lang]).toEqual(['zh-Hant', 'zh-Hans', 'en'])

    const chinese = storedPost(`<p>${'中文'.repeat(1000)}</p>`) // 2000 characters at 500 a minute
    const english = storedPost(`<p>${'word '.repeat(2650)}</p>`) // 2650 words at 265 a minute
    expect([chinese.readingMinutes, english.readingMinutes]).toEqual([4, 10])

    expect([...chinese.excerpt].length).toBe(80) // 79 characters and an ellipsis
    expect(chinese.excerpt.endsWith('…')).toBe(true)
    expect(english.excerpt.length).toBeLessThanOrEqual(160)
    expect(english.excerpt).toMatch(/word…$/) // cut at a word boundary
    expect(storedPost('<p>x</p>', undefined).excerpt).toBe('x')
    expect(normaliseArticle({ html: '<p>body</p>', description: 'Front matter wins' }).excerpt).toBe(
      'Front matter wins',
    )
  })

  it('renders malformed HTML without throwing: unclosed tags, deep nesting, a stray end of document', async () => {
    for (const html of [
      '<div><p>unclosed <b>bold <i>italic <table><tr><td>cell',
      `${'<div>'.repeat(20_000)}deep text${'</div>'.repeat(3)}`,
      `${'<b>'.repeat(5_000)}bold text`,
      '</body></html><p>after the end</p><html><body>',
    ]) {
      const post = storedPost(html, 'https://source.example/')
      const body = await renderArticleBody(post, config)
      expect(bodyProblems(body)).toEqual([])
      expect(browserText(body)).toMatch(/unclosed|deep text|bold text|after the end/)
      await expect(renderPostPage(post, config)).resolves.toMatch(/^<!doctype html>/)
    }
  })

  it('reuses cached normalisations only while the links they depend on map the same way', () => {
    const input = {
      html: `<p><a href="https://other.example/story/${Date.now()}">a mirrored story</a></p>`,
      from: 'https://source.example/a',
    }
    const target = new URL(input.html.match(/href="([^"]+)"/)![1])
    const local = new Map([[linkKey(target.href), '/2020/01/02/story/']])
    const href = (html: string) => attr(elementsOf(fragment(html), 'a')[0], 'href')
    expect(href(normaliseArticle(input).html)).toBe(target.href)
    expect(href(normaliseArticle(input, local).html)).toBe('/2020/01/02/story/')
    expect(href(normaliseArticle(input).html)).toBe(target.href)
  })

  it('exports a render version for caches', () => {
    expect(RENDER_VERSION).toMatch(/^\S+$/)
  })
})

/** Boilerplate each source site repeats, which must not reach readers. */
const SITE_BOILERPLATE: Record<string, string[]> = {
  'www.iyouport.org': ['共享此文章', '正在加载……', '0 Minutes'],
  'nei.st': ['You’ve hit the wall.', 'Published since September 1843', 'MORE'],
  'pao-pao.net': ['您可能感兴趣的文章', '冒个泡吧！', '永久连接'],
}

/**
 * The same checks over every post of a corpus: the fixtures always, the whole
 * shared corpus when it is beside the repo.
 */
const CORPORA = [
  { name: 'every fixture post', dir: fixturesDir, skip: false },
  {
    name: 'every post of the shared corpus',
    dir: corpusDir,
    skip: withoutSharedCorpus('render checks of the whole corpus'),
  },
]

for (const corpus of CORPORA) {
  describe.skipIf(corpus.skip)(corpus.name, () => {
    let built: Map<string, StoredPost>
    beforeAll(async () => {
      built = corpus.dir === fixturesDir ? site : await builtSite(corpus.dir)
    }, 120_000)

    it('renders a page that is safe as a browser parses it, with every image proxied', async () => {
      const failures: string[] = []
      for (const post of built.values()) {
        const problems = pageProblems(await renderPostPage(post, config), { proxiedImages: true })
        if (problems.length > 0) failures.push(`${post.file}: ${problems.slice(0, 3).join('; ')}`)
      }
      expect(failures).toEqual([])
      expect(built.size).toBeGreaterThanOrEqual(postFiles(corpus.dir).length + 1)
    })

    it('carries none of its source site’s furniture', async () => {
      for (const [host, phrases] of Object.entries(SITE_BOILERPLATE)) {
        const posts = [...built.values()].filter((post) => post.from && new URL(post.from).hostname === host)
        expect(posts.length, host).toBeGreaterThan(0)
        for (const post of posts) {
          const text = browserText(await renderArticleBody(post, config))
          for (const phrase of phrases) expect(text.includes(phrase), `${post.file}: ${phrase}`).toBe(false)
        }
      }
    })
  })
}
