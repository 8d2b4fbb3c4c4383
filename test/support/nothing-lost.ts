/**
 * "Nothing lost", measured against an independent truth: the source file's
 * own body (its Markdown rendered, then parsed by parse5 as a browser parses
 * it, scripting on) and the text of the page the worker serves for it
 * (renderPostPage, parsed the same way). Never against the build's cleaned
 * text, so a rule that deletes the article cannot pass.
 *
 * A source paragraph is a `<p>` with at least 20 characters of text a reader
 * sees (white space ignored; raw text of script, style, noscript… is not
 * text). It is kept when its text occurs in the text of the page's `<article>`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compile } from 'css-select'
import type { AnyNode, Element } from 'domhandler'
import { html, parse, parseFragment } from 'parse5'
import { adapter } from 'parse5-htmlparser2-tree-adapter'
import { readFrontMatter } from '../../src/builder/front-matter.ts'
import { renderMarkdown } from '../../src/builder/markdown.ts'
import { findPostFiles } from '../../src/builder/post-files.ts'
import type { StoredPost } from '../../src/shared/schema.ts'
import { type RenderConfig, renderPostPage } from '../../src/worker/render/index.tsx'

/** Source paragraphs shorter than this (white space aside) are not counted: bylines, dates, captions. */
export const MIN_PARAGRAPH = 20

/**
 * The only places a source paragraph may go missing on purpose, each the
 * work of a named build rule (src/builder/normalise/site-rules.ts) and each
 * judged here by its own test, not by the build's code.
 */
export const INTENDED_LOSSES: readonly {
  rule: string
  selector: string
  /** Further condition on the matched container, when the selector alone does not prove it. */
  when?: (container: Element) => boolean
  why: string
}[] = [
  {
    rule: 'hidden-at-source',
    selector: '[hidden], [style*="display:none"], [style*="display: none"]',
    why: 'the source never showed it to its readers (in the corpus: ai2html chart variants for other screen widths, 2 nei.st posts)',
  },
  {
    rule: 'pao-pao.net/reader-comments',
    selector: '#comments .comment',
    when: (comment) => /<a\s+href|\[url=|<\/a>/i.test(visibleText(comment)),
    why: 'a reader comment whose text is link markup typed by a bot (泡泡: 188 of 188 comments in the corpus, all 2019 pharmacy/loan spam)',
  },
]

const QUERIES = INTENDED_LOSSES.map((loss) => ({ ...loss, query: compile<AnyNode, Element>(loss.selector) }))

/** Elements whose content a browser does not show as text (scripting on). */
const NOT_SHOWN = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'noembed', 'noframes'])

export const squash = (text: string) => text.replace(/\s+/g, '')

/** textContent without the raw text of elements a browser does not show. */
export function visibleText(node: AnyNode): string {
  if (node.type === 'text') return node.data
  if (!('children' in node)) return ''
  if ('name' in node && NOT_SHOWN.has(node.name)) return ''
  let out = ''
  for (const child of node.children) out += visibleText(child)
  return out
}

function* descendants(node: AnyNode): Generator<Element> {
  if (!('children' in node)) return
  for (const child of node.children) {
    if (child.type === 'tag' || child.type === 'script' || child.type === 'style') {
      yield child as Element
      yield* descendants(child)
    }
  }
}

/** A body parsed as a browser parses it inside the page's `<div>`, with scripting on. */
export function browserParse(body: string): AnyNode {
  const context = adapter.createElement('div', html.NS.HTML, [])
  return parseFragment(context, body, { treeAdapter: adapter, scriptingEnabled: true }) as unknown as AnyNode
}

export interface SourceParagraph {
  text: string
  /** The intended loss whose container holds it, if any. */
  excusedBy?: string
}

/** The source file's paragraphs, each with the intended loss that may excuse it. */
export function sourceParagraphs(source: string): SourceParagraph[] {
  const { content, data } = readFrontMatter('source', source)
  const root = browserParse(renderMarkdown(content))
  const host = typeof data.from === 'string' ? new URL(data.from).hostname.replace(/^www\./, '') : ''
  const out: SourceParagraph[] = []
  for (const element of descendants(root)) {
    if (element.name !== 'p') continue
    const text = squash(visibleText(element))
    if ([...text].length < MIN_PARAGRAPH) continue
    out.push({ text, excusedBy: excuse(element, host) })
  }
  return out
}

function excuse(element: Element, host: string): string | undefined {
  for (let node: Element | null = element; node; node = node.parent as Element | null) {
    if (node.type !== 'tag') break
    for (const { rule, query, when } of QUERIES) {
      const siteRule = rule.includes('/') ? rule.split('/')[0] : undefined
      if (siteRule && host !== siteRule && !host.endsWith(`.${siteRule}`)) continue
      if (query(node) && (!when || when(node))) return rule
    }
  }
  return undefined
}

/** The text of the served page's `<article>` (title, byline, body, footer), white space removed. */
export function servedText(page: string): string {
  const document = parse(page, { treeAdapter: adapter }) as unknown as AnyNode
  for (const element of descendants(document)) if (element.name === 'article') return squash(visibleText(element))
  return ''
}

export interface PostMeasure {
  file: string
  paragraphs: number
  /** Paragraphs missing from the page inside a container an intended loss names. */
  excused: number
  kept: number
  /** Missing paragraphs no intended loss accounts for. */
  lost: string[]
}

/** Every post file under `contentDir`, measured against the page the worker serves for it (none: all lost). */
export async function measureSite(
  contentDir: string,
  posts: readonly StoredPost[],
  config: RenderConfig,
): Promise<PostMeasure[]> {
  const { root, files } = await findPostFiles(contentDir)
  const byPath = new Map(posts.map((post) => [join(contentDir, post.file), post]))
  const out: PostMeasure[] = []
  for (const name of files) {
    const path = join(root, name)
    const post = byPath.get(path)
    const served = post ? servedText(await renderPostPage(post, config)) : ''
    const measure: PostMeasure = { file: name, paragraphs: 0, excused: 0, kept: 0, lost: [] }
    for (const { text, excusedBy } of sourceParagraphs(readFileSync(path, 'utf8'))) {
      measure.paragraphs++
      if (served.includes(text)) measure.kept++
      else if (excusedBy) measure.excused++
      else measure.lost.push(text)
    }
    out.push(measure)
  }
  return out
}

/** Share of a post's paragraphs on its page, not counting excused ones (1 when it has none). */
export function keptShare({ paragraphs, excused, kept }: PostMeasure): number {
  return paragraphs - excused === 0 ? 1 : kept / (paragraphs - excused)
}

/** One line of figures: overall, posts under 99 %, the worst post (not counting, then counting, excused losses). */
export function summary(measures: readonly PostMeasure[]): string {
  const sum = (f: (m: PostMeasure) => number) => measures.reduce((n, m) => n + f(m), 0)
  const paragraphs = sum((m) => m.paragraphs)
  const excused = sum((m) => m.excused)
  const kept = sum((m) => m.kept)
  const rawShare = (m: PostMeasure) => (m.paragraphs === 0 ? 1 : m.kept / m.paragraphs)
  const pct = (share: number) => `${(share * 100).toFixed(2)}%`
  const worst = (share: (m: PostMeasure) => number) => {
    const post = [...measures].sort((a, b) => share(a) - share(b))[0]
    return post && share(post) < 1 ? `${post.file} ${pct(share(post))}` : 'none under 100%'
  }
  return [
    `${measures.length} posts; paragraphs kept ${kept} of ${paragraphs} (${pct(kept / paragraphs)});`,
    `missing but excused by intended losses ${excused}; kept of the rest ${pct(kept / (paragraphs - excused))};`,
    `posts under 99%: ${measures.filter((m) => keptShare(m) < 0.99).length}`,
    `(${measures.filter((m) => rawShare(m) < 0.99).length} counting excused losses);`,
    `worst: ${worst(keptShare)} (${worst(rawShare)} counting excused losses)`,
  ].join(' ')
}
