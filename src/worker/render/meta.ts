import type { StoredPost } from '../../shared/schema.ts'
import type { RenderConfig } from './render-config.ts'
import { type ImageSigner, imageSigner } from './steps/proxy-images.ts'

/** Everything the page head says about a post (title, description, canonical, og/twitter, JSON-LD). */
export interface PageMeta {
  title: string
  description: string
  canonical: string
  lang: string
  /** Absolute URL of the proxied lead image. */
  image?: string
  /** The JSON-LD NewsArticle, serialised and safe inside a `<script>` element. */
  jsonLd: string
}

export async function pageMeta(
  post: StoredPost,
  config: RenderConfig,
  sign: ImageSigner = imageSigner(config.imageKey),
): Promise<PageMeta> {
  const canonical = new URL(post.url, config.origin).href
  const image = post.leadImage ? new URL(await sign(post.leadImage), config.origin).href : undefined
  const description = post.excerpt ?? post.description ?? ''
  const article = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: post.title,
    description: description || undefined,
    datePublished: post.date,
    dateModified: post.updated ?? post.date,
    author: post.author ? { '@type': 'Person', name: post.author } : undefined,
    image: image ? [image] : undefined,
    inLanguage: post.lang,
    isBasedOn: post.from,
    mainEntityOfPage: canonical,
    publisher: { '@type': 'Organization', name: config.siteName },
  }
  return { title: post.title, description, canonical, lang: post.lang || 'zh', image, jsonLd: scriptSafeJson(article) }
}

/**
 * JSON that cannot end its `<script>` element or open a comment: `<`, `>`
 * and `&` are written as \u escapes (still the same JSON), as are the line
 * separators JavaScript once rejected in strings.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
