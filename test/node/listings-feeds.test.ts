import { describe, expect, it } from 'vitest'
import { absoluteUrls } from '../../src/worker/routes/feeds-format.ts'
import { cleanText, element, xmlText } from '../../src/worker/routes/feeds-xml.ts'

describe('feed text', () => {
  it('drops what XML 1.0 forbids and the C1 controls, keeps tab, newlines, CJK and astral characters', () => {
    expect(cleanText('a\u0000b\u0008c\u000bd\u000ce\u001ff\u007fg\u0085h\u009fi\uD800j\uDFFFk\uFFFEl\uFFFFm')).toBe(
      'abcdefghijklm',
    )
    expect(cleanText('tab\tlf\ncr\r 标题 😀 \uE000 \uFFFD')).toBe('tab\tlf\ncr\r 标题 😀 \uE000 \uFFFD')
  })

  it('escapes markup in text and in both kinds of quoted attribute', () => {
    expect(xmlText(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;')
    expect(element('link', { href: `a"b'c<&`, title: undefined })).toBe(`<link href="a&quot;b&apos;c&lt;&amp;"/>`)
  })
})

describe('absoluteUrls', () => {
  const origin = 'https://news.example.org'

  it('makes root-relative src, href, poster and srcset URLs absolute', () => {
    const html =
      '<a href="/2022/11/15/x/">x</a><img src="/img/a/b" srcset="/img/c 1x, /img/d 2x"><video poster="/img/e"></video>'
    expect(absoluteUrls(html, origin)).toBe(
      `<a href="${origin}/2022/11/15/x/">x</a><img src="${origin}/img/a/b" srcset="${origin}/img/c 1x, ${origin}/img/d 2x"><video poster="${origin}/img/e"></video>`,
    )
  })

  it('leaves absolute, protocol-relative, fragment and text URLs alone', () => {
    const html =
      '<a href="https://a.example/x">a</a><a href="//b.example/y">b</a><a href="#top">c</a><p>see /img/x</p><img data-src="/img/z">'
    expect(absoluteUrls(html, origin)).toBe(html)
  })
})
