import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { contentDir, corpusDir, fixturesDir, postFiles, sharedDir } from '../../support/corpus.ts'
import { XSS_METADATA, XSS_VECTORS } from '../xss-vectors.ts'

/** A post the suite wrote, and what it is for. */
export interface E2ePost {
  /** File name under posts/. */
  file: string
  /** From the repo's content/posts, from the shared corpus, or a payload post. */
  kind: 'content' | 'corpus' | 'xss'
  /** The user's sample post (shared/seed), wherever content/ keeps it. */
  seed?: boolean
  /** For XSS posts: what the payload is. */
  vector?: string
  /**
   * Opened by the article tests: content/posts and the corpus posts chosen for
   * their features. The rest of the corpus is served for the accessibility test.
   */
  sample?: boolean
}

/**
 * Corpus posts with the features that break renderers; the first of each
 * (by name) is taken, then the smallest and largest posts and one per source
 * site, until there are at least MIN_CORPUS_POSTS.
 */
const FEATURES: [string, RegExp][] = [
  ['picture', /<picture/],
  ['noscript', /<noscript/],
  ['srcset', /\ssrcset=/],
  ['data-src', /\sdata-src=/],
  ['data-lazy-src', /\sdata-lazy-src=/],
  ['protocol-relative src', /\ssrc="\/\//],
  ['YouTube iframe', /<iframe[^>]*youtube/],
  ['Vimeo iframe', /<iframe[^>]*vimeo/],
  ['other iframe', /<iframe[^>]*embedly/],
  ['javascript: URL', /javascript:/],
  ['onerror handler', /\sonerror=/],
  ['CSS url()', /url\(/],
  ['data: image', /src="data:image/],
  ['XSS article', /XSS/],
]
const MIN_CORPUS_POSTS = 24
const seedDir = join(sharedDir, 'seed')
/** Where the corpus posts come from: ../shared when it is there, else the repository's own sample of it. */
const corpusSource = existsSync(corpusDir) ? corpusDir : fixturesDir
/** The seed's copy in content/posts, for when ../shared/seed is not there to compare with. */
const SEED_NAME = '2022-11-15-【G20】王毅谈习拜会：有利推动两国关系重回健康正轨.md'

/** Hosts left alone: embeds the page may frame, and namespace URIs. */
const KEEP_HOSTS = /(^|\.)(youtube\.com|youtube-nocookie\.com|vimeo\.com|w3\.org|schema\.org)$/i

/**
 * Single-URL attributes that carry images, including the lazy-loading ones the
 * renderer promotes. (srcset values in the seed and corpus are all absolute.)
 */
const IMAGE_ATTRIBUTES = /(\s(?:src|poster|data-src|data-original|data-lazy-src|data-actualsrc)\s*=\s*)(["'])(.*?)\2/gis

export function selectCorpusPosts(exclude: ReadonlySet<string> = new Set()): string[] {
  const names = readdirSync(corpusSource)
    .filter((name) => name.endsWith('.md') && !exclude.has(name))
    .sort()
  const text = new Map(names.map((name) => [name, readFileSync(join(corpusSource, name), 'utf8')]))
  const chosen = new Set<string>()
  for (const [, pattern] of FEATURES) {
    const first = names.find((name) => !chosen.has(name) && pattern.test(text.get(name)!))
    if (first) chosen.add(first)
  }
  const bySize = [...names].sort((a, b) => statSync(join(corpusSource, a)).size - statSync(join(corpusSource, b)).size)
  for (const name of [...bySize.slice(0, 2), ...bySize.slice(-2)]) chosen.add(name)
  const sites = new Set([...chosen].map((name) => sourceHost(text.get(name)!)))
  for (const name of names) {
    if (!sites.has(sourceHost(text.get(name)!))) {
      sites.add(sourceHost(text.get(name)!))
      chosen.add(name)
    }
  }
  // Fill up evenly across the years.
  const step = Math.max(1, Math.floor(names.length / MIN_CORPUS_POSTS))
  for (let i = 0; chosen.size < MIN_CORPUS_POSTS && i < names.length; i += step) chosen.add(names[i])
  return [...chosen].sort()
}

/**
 * Writes the suite's site to `<dir>/posts`: content/posts (the seed), the
 * whole corpus (the selected posts marked as the sample) and one post per XSS
 * payload, every image URL moved onto the local image origin.
 */
export function writeE2eContent(dir: string, originUrl: string): E2ePost[] {
  const posts = join(dir, 'posts')
  mkdirSync(posts, { recursive: true })
  const written: E2ePost[] = []

  const seeds = new Set(
    existsSync(seedDir)
      ? readdirSync(seedDir).map((name) => readFileSync(join(seedDir, name), 'utf8'))
      : [readFileSync(join(contentDir, 'posts', SEED_NAME), 'utf8')],
  )
  const copy = (from: string, name: string, kind: 'content' | 'corpus', sample: boolean) => {
    const text = readFileSync(join(from, name), 'utf8')
    writeFileSync(join(posts, name), localiseImages(text, originUrl))
    written.push({ file: name, kind, sample, ...(seeds.has(text) && { seed: true }) })
  }
  const content = readdirSync(join(contentDir, 'posts')).filter((n) => n.endsWith('.md'))
  for (const name of content) copy(join(contentDir, 'posts'), name, 'content', true)
  // Without ../shared the corpus is test/fixtures/posts (the tests that need all of it say so).
  const sample = new Set(selectCorpusPosts(new Set(content)))
  for (const name of postFiles(corpusSource).filter((n) => !content.includes(n)))
    copy(corpusSource, name, 'corpus', sample.has(name))

  XSS_VECTORS.forEach((vector, i) => {
    const file = `2001-01-01-xss-${String(i + 1).padStart(3, '0')}.md`
    writeFileSync(join(posts, file), xssPost(i, vector.name, vectorBody(vector)))
    written.push({ file, kind: 'xss', vector: vector.name })
  })
  XSS_METADATA.forEach((meta, i) => {
    const file = `2001-01-02-xss-metadata-${i + 1}.md`
    const frontMatter = [
      `title: ${yamlString(meta.title)}`,
      `date: 2001-01-02T00:0${i}:00Z`,
      `author: ${yamlString(meta.author)}`,
      `tags: [${meta.tags.map(yamlString).join(', ')}]`,
      `categories: [${meta.categories.map(yamlString).join(', ')}]`,
      `description: ${yamlString(meta.description)}`,
    ]
    writeFileSync(join(posts, file), `---\n${frontMatter.join('\n')}\n---\nA post whose metadata carries payloads.\n`)
    written.push({ file, kind: 'xss', vector: `metadata ${i + 1}` })
  })
  return written
}

/** An HTML payload both as a raw HTML block and inline in Markdown; a Markdown payload as it is. */
export function vectorBody(vector: { html?: string; markdown?: string }): string {
  if (vector.markdown !== undefined) return `${vector.markdown}\n`
  return `<div class="xss-block">\n${vector.html}\n</div>\n\nInline: before ${vector.html} after.\n\nThe end.\n`
}

function xssPost(i: number, name: string, body: string): string {
  const minute = String(i % 60).padStart(2, '0')
  const hour = String(Math.floor(i / 60)).padStart(2, '0')
  return `---\ntitle: ${yamlString(`XSS ${i + 1}: ${name}`)}\ndate: 2001-01-01T${hour}:${minute}:00Z\ntags: [xss-e2e]\ncategories: [xss-e2e]\n---\n${body}`
}

/** A YAML double-quoted scalar (JSON's escapes are YAML's), with YAML's extra line breaks escaped. */
function yamlString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/**
 * Points a post's images at the local origin, keeping `from:` (the renderer's
 * per-site rules key on it): image attributes relative to the source are made
 * absolute first, then every absolute or protocol-relative URL outside links
 * becomes `<origin>/<host>/<path>`, so no image the page shows can come from
 * anywhere but the origin the test controls.
 */
export function localiseImages(post: string, originUrl: string): string {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(post)
  if (!match) return post
  const frontMatter = match[0]
  const from = /^from:\s*["']?([^"'\s]+)/m.exec(match[1])?.[1]
  let body = post.slice(frontMatter.length)
  if (from) {
    body = body.replace(IMAGE_ATTRIBUTES, (_, name: string, quote: string, value: string) => {
      const resolved = absolute(value.trim(), from)
      return `${name}${quote}${resolved}${quote}`
    })
  }
  body = body.replace(
    /(https?:)?\/\/([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(:\d+)?/g,
    (url, scheme: string | undefined, host: string, port = '', at: number) => {
      const before = body.slice(Math.max(0, at - 6), at)
      if (KEEP_HOSTS.test(host) || /href=["']?$|\]\($/i.test(before)) return url
      if (!scheme && !/[\s"'=(,]$/.test(before)) return url
      return `${originUrl}/${host}${port}`
    },
  )
  return frontMatter + body
}

function absolute(url: string, base: string): string {
  if (/^(data|javascript|vbscript|blob):/i.test(url)) return url
  try {
    return new URL(url, base).href
  } catch {
    return url
  }
}

function sourceHost(post: string): string {
  return /^from:\s*["']?https?:\/\/([^/\s"']+)/m.exec(post)?.[1] ?? ''
}
