/**
 * Text the build writes into a body for readers who cannot see it — alt text,
 * frame titles, region labels — in the article's own language, so a screen
 * reader speaks it with the same voice as the text around it.
 */
import { countText, detectLang, excerpt } from './text.ts'
import { type ParentNode, textOf } from './tree.ts'

export interface Labels {
  /** An image the source says nothing about. */
  image: string
  /** A link to the full-size file of the image it shows. */
  fullImage: string
  /** An embedded player, e.g. "YouTube video". */
  video(provider: string): string
  /** Joins a label and what is known about the thing: "YouTube video: <title>". */
  detail(label: string, detail: string): string
  /** A table in its scrolling region. */
  table: string
}

const CJK_DETAIL = (label: string, detail: string) => `${label}：${detail}`

const LABELS: Record<'zh-Hans' | 'zh-Hant' | 'ja' | 'en', Labels> = {
  'zh-Hans': {
    image: '图片',
    fullImage: '查看原图',
    video: (provider) => `${provider} 视频`,
    detail: CJK_DETAIL,
    table: '表格',
  },
  'zh-Hant': {
    image: '圖片',
    fullImage: '查看原圖',
    video: (provider) => `${provider} 影片`,
    detail: CJK_DETAIL,
    table: '表格',
  },
  ja: {
    image: '画像',
    fullImage: '元の画像',
    video: (provider) => `${provider} 動画`,
    detail: CJK_DETAIL,
    table: '表',
  },
  en: {
    image: 'Image',
    fullImage: 'Full-size image',
    video: (provider) => `${provider} video`,
    detail: (label, detail) => `${label}: ${detail}`,
    table: 'Table',
  },
}

/** Per body: the language is counted once, and only for a body that needs a label. */
const known = new WeakMap<ParentNode, Labels>()

/** The labels in the language the body's text is written in (as the stored `lang` is detected). */
export function labelsFor(root: ParentNode): Labels {
  let labels = known.get(root)
  if (!labels) {
    const lang = detectLang(countText(textOf(root)))
    labels = LABELS[lang === 'zh' ? 'zh-Hans' : (lang as keyof typeof LABELS)]
    known.set(root, labels)
  }
  return labels
}

/** Longest text taken from the source as a label, in columns (a CJK character counts two). */
const LABEL_COLUMNS = 250

/** Source text as a label: white space collapsed, cut at a sentence or word boundary if long. */
export function labelText(text: string): string {
  return excerpt(text, LABEL_COLUMNS)
}

/** A file name (`IMG_0012.JPG`, `photo-1.webp`) is never a description. */
export function isFileName(text: string): boolean {
  return /^[^\s/\\]+\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic)$/i.test(text.trim())
}
