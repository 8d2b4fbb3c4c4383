/**
 * An archive keeps every word the source published: every source paragraph
 * is on the served page, except inside a container an intended loss names
 * (test/support/nothing-lost.ts); each title is shown once; ChinaFile's
 * Conversation answers are the article. Measured against the source files,
 * over the repo's fixtures and seed always, and over the whole shared corpus
 * when it is present.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { selectAll } from 'css-select'
import type { Element } from 'domhandler'
import { parse } from 'parse5'
import { adapter } from 'parse5-htmlparser2-tree-adapter'
import { beforeAll, describe, expect, it } from 'vitest'
import { readFrontMatter } from '../../src/builder/front-matter.ts'
import { renderMarkdown } from '../../src/builder/markdown.ts'
import { ruleReason } from '../../src/builder/normalise/site-rules.ts'
import { buildSite } from '../../src/builder/site.ts'
import { importImageKey } from '../../src/shared/image-url.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { type RenderConfig, renderPostPage } from '../../src/worker/render/index.tsx'
import { corpusDir, fixturesDir, siteWith, withoutSharedCorpus } from '../support/corpus.ts'
import {
  browserParse,
  INTENDED_LOSSES,
  keptShare,
  measureSite,
  type PostMeasure,
  servedText,
  squash,
  summary,
  visibleText,
} from '../support/nothing-lost.ts'

function describeSite(name: string, folder: () => string, enabled: boolean) {
  describe.skipIf(!enabled)(name, { timeout: 180_000 }, () => {
    let dir: string
    let posts: StoredPost[]
    let config: RenderConfig
    const sourceOf = (post: StoredPost) => readFileSync(join(dir, post.file), 'utf8')

    beforeAll(async () => {
      config = {
        siteName: 'Archive',
        origin: 'https://archive.example',
        imageKey: await importImageKey('nothing-lost'),
      }
      dir = folder()
      const site = await buildSite(dir)
      expect(site.errors.map(String)).toEqual([])
      posts = site.posts
    }, 180_000)

    it('keeps ≥ 99% of every post’s source paragraphs and ≥ 99.9% overall, intended losses aside', async () => {
      const measures = await measureSite(dir, posts, config)
      console.log(`nothing lost (${name}): ${summary(measures)}`)
      expectNothingLost(measures)
    })

    it('shows each title once as a heading, and links each source in the byline', async () => {
      const twice: string[] = []
      for (const post of posts) {
        const document = parse(await renderPostPage(post, config), { treeAdapter: adapter })
        const article = selectAll('article', document as never)[0] as Element
        const headings = selectAll('h1, h2, h3, h4, h5, h6', article) as Element[]
        const titled = headings.filter((h) => comparable(visibleText(h)) === comparable(post.title))
        if (titled.length !== 1) twice.push(`${post.file}: ${titled.map((h) => h.name).join(', ')}`)
        if (post.from)
          expect(selectAll('header a.source', article).map((a) => (a as Element).attribs.href)).toEqual([post.from])
      }
      expect(twice).toEqual([])
    })

    it('publishes every ChinaFile Conversation answer, in order, each after its contributor’s name', async () => {
      const conversations = posts.filter((post) => post.from?.includes('chinafile.com/conversation/'))
      expect(conversations.length).toBeGreaterThanOrEqual(3)
      let answers = 0
      for (const post of conversations) {
        const served = servedText(await renderPostPage(post, config))
        let at = 0
        for (const answer of conversationAnswers(sourceOf(post))) {
          answers++
          for (const text of [...answer.names, ...answer.paragraphs]) {
            const found = served.indexOf(text, at)
            expect(found, `${post.file}: ${text.slice(0, 60)}`).toBeGreaterThanOrEqual(at)
            at = found + text.length
          }
        }
      }
      expect(answers).toBeGreaterThanOrEqual(12)
    })
  })
}

it('excuses losses only inside containers that a named build rule removes, each with its reason', () => {
  expect(INTENDED_LOSSES.length).toBeLessThanOrEqual(3)
  for (const loss of INTENDED_LOSSES) {
    expect(ruleReason(loss.rule), loss.rule).toBeTruthy()
    expect(loss.why.length).toBeGreaterThan(20)
  }
})

describeSite('fixtures and seed', () => siteWith(fixturesDir), true)
describeSite('corpus and seed', () => siteWith(corpusDir), !withoutSharedCorpus('nothing lost over the whole corpus'))

function expectNothingLost(measures: PostMeasure[]) {
  const under = measures
    .filter((m) => keptShare(m) < 0.99)
    .map((m) => `${m.file}: ${(keptShare(m) * 100).toFixed(1)}%, lost ${m.lost.map((t) => t.slice(0, 40)).join(' | ')}`)
  expect(under).toEqual([])
  const kept = measures.reduce((n, m) => n + m.kept, 0)
  const counted = measures.reduce((n, m) => n + m.paragraphs - m.excused, 0)
  expect(kept / counted).toBeGreaterThanOrEqual(0.999)
}

/** Each answer of a Conversation as the source has it: its contributors' names, then its paragraphs. */
function conversationAnswers(source: string): { names: string[]; paragraphs: string[] }[] {
  const root = browserParse(renderMarkdown(readFrontMatter('source', source).content))
  return (selectAll('#comments article.comment', root) as Element[]).map((answer) => ({
    names: (selectAll('.node-profile h3', answer) as Element[]).map((h) => squash(visibleText(h))),
    paragraphs: (selectAll('.field-name-comment-body p', answer) as Element[])
      .map((p) => squash(visibleText(p)))
      .filter(Boolean),
  }))
}

/** Text compared as a reader would: case, width, white space and punctuation aside. */
function comparable(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '')
}
