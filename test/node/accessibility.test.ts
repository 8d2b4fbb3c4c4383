/**
 * The build's accessibility rewrites (describeImages, nameImageLinks,
 * titleEmbeds, tableRegions, shiftHeadings), each pinned on small inputs and
 * judged on what the edge serves, parsed as a browser parses it (parse5); then
 * their promises checked over every corpus post against its source file.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type DefaultTreeAdapterMap, parseFragment } from 'parse5'
import { beforeAll, describe, expect, it } from 'vitest'
import { importImageKey } from '../../src/shared/image-url.ts'
import { type RenderConfig, renderArticleBody } from '../../src/worker/render/index.tsx'
import { corpusDir, fixturesDir, hasSharedCorpus, postFiles } from '../support/corpus.ts'
import { sourcePost } from '../support/source-post.ts'
import { storedPost } from '../support/stored-post.ts'

type Element = DefaultTreeAdapterMap['element']
type Node = DefaultTreeAdapterMap['node']

const ZH = '<p>香港理工大学的冲突在周日晚上升级，警方包围了校园。</p>'
const ZH_HANT = '<p>香港理工大學的衝突在週日晚上升級，警方包圍了校園。這個國家的問題還沒有解決。</p>'
const EN =
  '<p>The conflict at the Polytechnic University escalated on Sunday night as police surrounded the campus.</p>'

let config: RenderConfig
beforeAll(async () => {
  config = { siteName: 'Archive', origin: 'https://archive.example', imageKey: await importImageKey('a11y-test-key') }
})

/** Build-normalised, then rendered by the edge, then parsed by the spec's algorithm. */
async function served(html: string, from = 'https://news.example/story/1'): Promise<Node> {
  const body = await renderArticleBody(storedPost(html, from), config)
  const context = parseFragment('<div></div>').childNodes[0] as Element
  return parseFragment(context, body, {})
}

function all(root: Node, test: (e: Element) => boolean): Element[] {
  const out: Element[] = []
  const pending: Node[] = [root]
  while (pending.length > 0) {
    const node = pending.shift()!
    if ('tagName' in node && test(node)) out.push(node)
    if ('childNodes' in node) pending.unshift(...node.childNodes)
  }
  return out
}

const textContent = (node: Node): string =>
  'value' in node ? node.value : 'childNodes' in node ? node.childNodes.map(textContent).join('') : ''
const byTag = (root: Node, tag: string) => all(root, (e) => e.tagName === tag)
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value
const alts = async (html: string) => byTag(await served(html), 'img').map((img) => attr(img, 'alt'))

describe('images get a text alternative from what the source says', () => {
  it('from the caption of their figure', async () => {
    expect(
      await alts(
        `${ZH}<figure><img src="https://img.example/a.jpg"><figcaption>路透社拍攝的<b>理工大學</b>衝突照片</figcaption></figure>`,
      ),
    ).toEqual(['路透社拍攝的理工大學衝突照片'])
  })

  it('from their title, and from the one paragraph that shares their box', async () => {
    expect(
      await alts(
        `${EN}<p><img src="https://img.example/b.jpg" title="Police at the gate"></p>` +
          '<div><img src="https://img.example/c.jpg"><p>John Glenn wore this suit in 1962.</p></div>',
      ),
    ).toEqual(['Police at the gate', 'John Glenn wore this suit in 1962.'])
  })

  it('but not from a box of several paragraphs, a file name or a caption shared by two images', async () => {
    expect(
      await alts(
        `${EN}<div><img src="https://img.example/d.jpg"><p>lifting off</p><p>The space race sped things up.</p></div>` +
          '<p><img src="https://img.example/IMG_0012.JPG" alt="IMG_0012.JPG" title="photo-1.webp"></p>' +
          '<figure><img src="https://img.example/e.jpg"><img src="https://img.example/f.jpg"><figcaption>Two views</figcaption></figure>',
      ),
    ).toEqual(['Image', 'Image', 'Image', 'Image'])
  })

  it('with a neutral label in the article’s language when nothing is known', async () => {
    expect(await alts(`${ZH}<figure><img src="https://img.example/g.jpg"></figure>`)).toEqual(['图片'])
    expect(await alts(`${ZH_HANT}<figure><img src="https://img.example/g.jpg"></figure>`)).toEqual(['圖片'])
  })

  it('keeps the source’s alt text, empty ones included, and marks decoration as such', async () => {
    expect(
      await alts(
        `${EN}<p><img src="https://img.example/h.jpg" alt="A protester"><img src="https://img.example/i.jpg" alt=""></p>` +
          '<p><img src="https://img.example/spacer.gif" width="2" height="40"></p>' +
          '<p><a href="https://news.example/story/2"><img src="https://img.example/j.jpg"> Read the next story</a></p>',
      ),
    ).toEqual(['A protester', '', '', ''])
  })
})

describe('links whose only content is an image get a name', () => {
  const linkNames = async (html: string) =>
    byTag(await served(html), 'a').map((a) => byTag(a, 'img').map((img) => attr(img, 'alt')))

  it('from the image’s own description, the link’s title, or the link’s host and path', async () => {
    expect(
      await linkNames(
        `${EN}<figure><a href="https://news.example/big"><img src="https://img.example/k.jpg"></a><figcaption>The crowd</figcaption></figure>` +
          '<p><a href="https://www.chinafile.com/x" title="When Will China Get off Coal?"><img src="https://img.example/l.jpg" alt=""></a></p>' +
          '<p><a href="https://www.nei.st/medium/bloomberg-businessweek/2019-periodic-table-elements.html"><img src="https://img.example/m.jpg" alt=""></a></p>' +
          '<p><a href="https://zh.wikipedia.org/wiki/%E9%A6%99%E6%B8%AF"><img src="https://img.example/n.jpg"></a></p>',
      ),
    ).toEqual([
      ['The crowd'],
      ['When Will China Get off Coal?'],
      ['nei.st › medium › bloomberg businessweek › 2019 periodic table elements'],
      ['zh.wikipedia.org › wiki › 香港'],
    ])
  })

  it('says a link to an image file opens the full-size image, in the article’s language', async () => {
    expect(
      await linkNames(
        `${ZH}<p><a href="https://i2.wp.com/cdn.example/fetch/photo.png?ssl=1"><img src="https://i0.wp.com/cdn.example/w_728/photo.png" alt=""></a></p>`,
      ),
    ).toEqual([['查看原图']])
  })
})

describe('embedded players get a title', () => {
  const titles = async (html: string) => byTag(await served(html), 'iframe').map((f) => attr(f, 'title'))

  it('naming the player and what is known: the source’s title, else the video id', async () => {
    expect(
      await titles(
        `${EN}<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" title="Interview with the mayor"></iframe>` +
          '<iframe src="https://www.youtube-nocookie.com/embed/abcdefghijk" title="YouTube video player"></iframe>' +
          '<iframe src="https://player.vimeo.com/video/76979871"></iframe>',
      ),
    ).toEqual(['YouTube video: Interview with the mayor', 'YouTube video: abcdefghijk', 'Vimeo video: 76979871'])
    expect(await titles(`${ZH}<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>`)).toEqual([
      'YouTube 视频：dQw4w9WgXcQ',
    ])
  })
})

describe('tables', () => {
  it('scroll in a labelled region in the tab order, keeping their table semantics', async () => {
    const root = await served(
      `${EN}<table><caption>Votes by district</caption><tr><td>1</td><td><table><tr><td>nested</td></tr></table></td></tr></table>` +
        '<table><tr><td>no caption</td></tr></table>',
    )
    const regions = all(root, (e) => attr(e, 'role') === 'region')
    expect(regions.map((r) => [r.tagName, attr(r, 'aria-label'), attr(r, 'tabindex')])).toEqual([
      ['div', 'Votes by district', '0'],
      ['div', 'Table', '0'],
    ])
    expect(regions.map((r) => (r.childNodes[0] as Element).tagName)).toEqual(['table', 'table'])
  })

  it('are the only source of those attributes: a source’s own role, aria-label and tabindex go', async () => {
    const root = await served(
      `${EN}<div role="button" aria-label="Click" tabindex="-1"><p>text</p></div><div role="region" aria-label="x" tabindex="0"><p>y</p></div>`,
    )
    expect(all(root, (e) => e.attrs.some((a) => ['role', 'aria-label', 'tabindex'].includes(a.name)))).toEqual([])
  })

  it('keep, at the edge, only the values the build writes, whatever KV holds', async () => {
    const stored = storedPost('', undefined, {
      html: '<div role="button" tabindex="-1" aria-label=" "><p>a</p></div><div role="region" tabindex="0" aria-label="Votes"><table><tr><td>1</td></tr></table></div>',
    })
    const root = parseFragment(await renderArticleBody(stored, config))
    expect(byTag(root, 'div').map((d) => d.attrs.map((a) => `${a.name}=${a.value}`))).toEqual([
      [],
      ['role=region', 'tabindex=0', 'aria-label=Votes'],
    ])
  })
})

describe('headings', () => {
  const levels = async (html: string) =>
    all(await served(html), (e) => /^h[1-6]$/.test(e.tagName)).map((e) => e.tagName)

  it('continue the page’s outline under its h1, without skipping a level', async () => {
    expect(await levels('<h3>a</h3><p>x</p><h3>b</h3><h5>c</h5><h2>d</h2><h1>e</h1><h4>f</h4>')).toEqual([
      'h2',
      'h2',
      'h3',
      'h2',
      'h2',
      'h3',
    ])
  })

  it('keep their nesting and never go beyond h6', async () => {
    expect(await levels('<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6><h6>7</h6>')).toEqual([
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'h6',
      'h6',
    ])
  })
})

describe(
  hasSharedCorpus ? 'every fixture and corpus post' : 'every fixture post (no shared corpus beside the repo)',
  () => {
    const dirs = hasSharedCorpus ? [fixturesDir, corpusDir] : [fixturesDir]
    const posts = dirs.flatMap((dir) =>
      postFiles(dir).map((name) => ({ name, post: sourcePost(name, readFileSync(join(dir, name), 'utf8')) })),
    )

    it('serves no image without alt text, no image-only link or frame without a name, no skipped heading', async () => {
      const problems: string[] = []
      for (const { name, post } of posts) {
        const root = await served(post.html, post.from)
        for (const img of byTag(root, 'img')) {
          const alt = attr(img, 'alt')
          const src = post.html.match(/src="[^"]*\/([^/"?]+)"/g) ?? []
          if (alt === undefined) problems.push(`${name}: img without alt`)
          else if (alt && src.some((s) => s.endsWith(`/${alt}"`))) problems.push(`${name}: file name as alt: ${alt}`)
        }
        for (const a of byTag(root, 'a')) {
          const text = all(a, () => true)
            .flatMap((e) => [attr(e, 'alt') ?? '', ...e.childNodes.map((c) => ('value' in c ? c.value : ''))])
            .join('')
          if (!text.trim()) problems.push(`${name}: link without a name: ${attr(a, 'href')}`)
        }
        for (const frame of byTag(root, 'iframe'))
          if (!attr(frame, 'title')?.trim()) problems.push(`${name}: frame without title`)
        let previous = 1
        for (const heading of all(root, (e) => /^h[1-6]$/.test(e.tagName))) {
          const level = Number(heading.tagName[1])
          if (level > previous + 1 || level === 1) problems.push(`${name}: h${previous} → ${heading.tagName}`)
          previous = level
        }
      }
      expect(problems).toEqual([])
    })

    it('describes each captioned image with the caption its source file gives it', async () => {
      // The independent truth: the source's figures (parsed as a browser would) with one image, no alt, and a caption.
      let checked = 0
      for (const { name, post } of posts) {
        const captions = byTag(parseFragment(post.html), 'figure').flatMap((figure) => {
          const images = byTag(figure, 'img')
          const caption = byTag(figure, 'figcaption')[0]
          return images.length === 1 && attr(images[0], 'alt') === undefined && caption
            ? [textContent(caption).replace(/\s+/g, ' ').trim()]
            : []
        })
        if (captions.length === 0) continue
        const shown = byTag(await served(post.html, post.from), 'img').map((img) => attr(img, 'alt') ?? '')
        // Long captions are cut to a label's length: their opening words must be there.
        for (const caption of captions.filter(Boolean)) {
          expect(
            shown.some((alt) => alt.startsWith(caption.slice(0, 30))),
            `${name}: ${caption}`,
          ).toBe(true)
          checked++
        }
      }
      // The fixtures alone hold 9 such figures, the corpus more: a run that checks only a few has lost its input.
      expect(checked).toBeGreaterThanOrEqual(9)
    })
  },
)
