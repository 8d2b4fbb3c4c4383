/**
 * The rules that remove text from a body, on real source markup: reader
 * comments (spam goes, genuine comments stay collapsed), the evidence behind
 * the spam test, the title once, and the per-rule counts the build reports
 * (the same from the build cache).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { selectAll } from 'css-select'
import type { Element } from 'domhandler'
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/builder/markdown.ts'
import { normaliseArticle, normaliseTracked } from '../../src/builder/normalise/index.ts'
import { isSpam } from '../../src/builder/normalise/spam.ts'
import { parseBody, textOf } from '../../src/builder/normalise/tree.ts'
import { readPost } from '../../src/builder/parse-post.ts'
import { renderBody } from '../../src/builder/render-body.ts'
import { buildSite } from '../../src/builder/site.ts'
import { corpusDir } from '../support/corpus.ts'
import { contentFolder } from '../support/posts.ts'

const fixtures = join(import.meta.dirname, '../fixtures/posts')
const PAO_PAO = '2017-04-30-到底什么是新闻？记者应该长什么样.md'

/** A genuine reader comment in 泡泡's Drupal markup: it cites a source, as real comments do, but no bot wrote it. */
const GENUINE = `<div class="comment comment-by-anonymous clearfix">
 <div class="attribution"><div class="comment-submitted">
  <p class="commenter-name"><span class="username">读者甲 (未验证)</span></p>
  <p class="comment-time"><span>星期一, 05/01/2017 - 09:12</span></p>
  <p class="comment-permalink"><a class="permalink" href="/comment/1#comment-1">永久连接</a></p>
 </div></div>
 <div class="comment-text"><h3><a class="permalink" href="/comment/1#comment-1">谢谢</a></h3>
  <div class="content"><div class="field field-name-comment-body"><p>这篇文章把新闻的定义讲得很清楚，谢谢作者，也推荐大家看看<a href="https://example.org/report">这篇相关报道</a>。</p></div></div>
  <ul class="links inline"><li class="comment-reply"><a href="/comment/reply/813/1">回复</a></li></ul>
 </div>
</div>`

function paoPaoPost(withGenuine: boolean) {
  const source = readFileSync(join(fixtures, PAO_PAO), 'utf8')
  const first = source.indexOf('<div about="/comment/')
  expect(first).toBeGreaterThan(0)
  return readPost(PAO_PAO, withGenuine ? source.slice(0, first) + GENUINE + source.slice(first) : source)
}

describe('reader comments (泡泡)', () => {
  it('drops the spam thread whole, counted under its rule, and keeps the article', () => {
    const post = paoPaoPost(false)
    const { article, removals } = normaliseTracked({ ...post, html: renderMarkdown(post.markdown) }, new Map())
    expect(article.html).not.toMatch(/<details|评论|冒个泡吧|Viagra|Cialis|href="http:\/\/t\.co/i)
    const source = parseBody(renderMarkdown(post.markdown))
    const thread = selectAll('#comments', source.children)[0]
    const kept = squash(textOf(parseBody(article.html)))
    const paragraphs = articleParagraphs(source)
    expect(paragraphs.length).toBeGreaterThan(20)
    for (const p of paragraphs) expect(kept).toContain(p)
    // Everything the thread showed, less what other rules took from inside it first (none here).
    expect(removals.byRule['pao-pao.net/reader-comments']).toBe(squash(textOf(thread)).length)
  })

  it('keeps a genuine comment below the article in a collapsed, labelled section, without its furniture', () => {
    const post = paoPaoPost(true)
    const { article } = renderBody(post, new Map())
    const details = selectAll('details', parseBody(article.html).children) as Element[]
    expect(details).toHaveLength(1)
    expect(details[0].attribs.open).toBeUndefined()
    const comment = textOf(details[0])
    expect(textOf(selectAll('summary', details)[0])).toBe('Reader comments (1)')
    expect(comment).toContain('读者甲 (未验证)')
    expect(comment).toContain('这篇文章把新闻的定义讲得很清楚')
    expect(comment).not.toMatch(/永久连接|回复|Matglaphy|What's Going down/)
    // Below the article: after its last paragraph.
    const text = squash(textOf(parseBody(article.html)))
    const last = articleParagraphs(parseBody(renderMarkdown(post.markdown))).pop()!
    expect(text.indexOf(squash(textOf(details[0])))).toBeGreaterThan(text.indexOf(last))
  })
})

describe('the spam test’s evidence', () => {
  const folders = [fixtures, ...(existsSync(corpusDir) ? [corpusDir] : [])]

  it('calls every 泡泡 comment spam, and no ChinaFile answer and no article paragraph', () => {
    const counts = { spam: 0, answers: 0, paragraphs: 0 }
    const seen = new Set<string>()
    for (const folder of folders) {
      for (const name of readdirSync(folder).filter((n) => n.endsWith('.md'))) {
        if (seen.has(name)) continue
        seen.add(name)
        const post = readPost(name, readFileSync(join(folder, name), 'utf8'))
        const source = post.from ? new URL(post.from) : undefined
        const root = parseBody(renderMarkdown(post.markdown))
        const comments = selectAll('#comments .comment', root.children) as Element[]
        for (const comment of comments) {
          const spam = isSpam(comment, source)
          if (source?.hostname.endsWith('pao-pao.net'))
            expect(spam, `${name}: ${textOf(comment).slice(0, 80)}`).toBe(true)
          else expect(spam, `${name}: ${textOf(comment).slice(0, 80)}`).toBe(false)
          counts[spam ? 'spam' : 'answers']++
        }
        for (const p of selectAll('p', root.children) as Element[]) {
          if (comments.some((comment) => contains(comment, p)) || textOf(p).trim().length < 20) continue
          expect(isSpam(p, source), `${name}: ${textOf(p).slice(0, 80)}`).toBe(false)
          counts.paragraphs++
        }
      }
    }
    console.log(
      `spam test: ${counts.spam} spam comments, ${counts.answers} genuine, ${counts.paragraphs} paragraphs clean`,
    )
    expect(counts.spam).toBeGreaterThanOrEqual(5)
    expect(counts.answers).toBeGreaterThanOrEqual(12)
  })
})

describe('the title once', () => {
  const from = 'https://news.example/2024/story'

  it('drops a leading heading with the title’s text that links to the source', () => {
    const html = `<h2><a href="${from}">The Story</a></h2><p>Body.</p>`
    const { article, removals } = normaliseTracked({ html, from, title: 'The story!' }, new Map())
    expect(article.html).toBe('<p>Body.</p>')
    expect(removals.byRule).toEqual({}) // the page shows it as its title
  })

  it('keeps it when it links elsewhere, says something else, or does not lead', () => {
    for (const html of [
      `<h2><a href="https://other.example/">The Story</a></h2><p>Body.</p>`,
      `<h2><a href="${from}">The Story, Part Two</a></h2><p>Body.</p>`,
      `<p>Lede.</p><h2><a href="${from}">The Story</a></h2>`,
    ]) {
      expect(normaliseArticle({ html, from, title: 'The Story' }).html).toContain('<h2>')
    }
  })
})

describe('what rules removed', () => {
  it('is reported the same by a build from the cache', async () => {
    const hidden = '这段文字被来源网站隐藏了，读者从未见过。'.repeat(5)
    const dir = contentFolder({
      '2022-05-01-hidden.md': `---\ntitle: Hidden\ndate: 2022-05-01\nfrom: https://news.example/a\n---\n<p>Shown.</p><div style="display: none"><p>${hidden}</p></div>\n`,
      '2022-05-02-clean.md': '---\ntitle: Clean\ndate: 2022-05-02\n---\n<p>Nothing to remove here.</p>\n',
    })
    const cacheDir = mkdtempSync(join(tmpdir(), 'rules-cache-'))
    const cold = await buildSite(dir, { cacheDir, threads: 1 })
    const warm = await buildSite(dir, { cacheDir, threads: 1 })
    expect(cold.removals).toEqual([
      {
        file: 'posts/2022-05-01-hidden.md',
        path: expect.stringMatching(/2022-05-01-hidden\.md$/),
        characters: 'Shown.'.length + hidden.length,
        byRule: { 'hidden-at-source': hidden.length },
      },
    ])
    expect(warm.removals).toEqual(cold.removals)
  })
})

const squash = (text: string) => text.replace(/\s+/g, '')

/** The source's paragraphs of 20 characters or more outside its comment thread. */
function articleParagraphs(root: ReturnType<typeof parseBody>): string[] {
  const thread = selectAll('#comments', root.children)[0] as Element
  return (selectAll('p', root.children) as Element[])
    .filter((p) => !contains(thread, p))
    .map((p) => squash(textOf(p)))
    .filter((text) => text.length >= 20)
}

function contains(ancestor: Element, node: Element): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent === ancestor) return true
  return false
}
