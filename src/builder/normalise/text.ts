/**
 * Facts about an article's text, computed once at build time: its language,
 * reading time and a description excerpt, all CJK-aware.
 */

/** Wide characters: CJK ideographs, kana, Hangul and full-width forms take two columns. */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u

/** Frequent characters written differently in Simplified and Traditional Chinese (pairwise). */
const SIMPLIFIED = codePoints(
  '这个们来时为说国会对发经过后还见进开关长东车书学无实现动电与么义习产业亲从众优传体语话认让论记设请问间门写应变边总机样种头华军报务员钱级约织结给统难听观觉视读谁讲该远运选党历万区医卫马鸟鱼龙爱气灵岁汉湾',
)
const TRADITIONAL = codePoints(
  '這個們來時為說國會對發經過後還見進開關長東車書學無實現動電與麼義習產業親從眾優傳體語話認讓論記設請問間門寫應變邊總機樣種頭華軍報務員錢級約織結給統難聽觀覺視讀誰講該遠運選黨歷萬區醫衛馬鳥魚龍愛氣靈歲漢灣',
)

function codePoints(chars: string): Set<number> {
  return new Set(Array.from(chars, (c) => c.codePointAt(0)!))
}

/** Does this character take two columns (CJK)? */
export function isWide(char: string): boolean {
  return WIDE.test(char)
}

export interface TextCounts {
  han: number
  kana: number
  words: number
  simplified: number
  traditional: number
}

/** One pass over the code points, allocating nothing (bodies run to hundreds of kilobytes). */
export function countText(text: string): TextCounts {
  const counts = { han: 0, kana: 0, words: 0, simplified: 0, traditional: 0 }
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!
    if (c > 0xffff) i++
    const wordChar: boolean = isLatinOrDigit(c) || (inWord && (c === 0x27 || c === 0x2019 || c === 0x2d))
    if (wordChar && !inWord) counts.words++
    inWord = wordChar
    if (isHan(c)) {
      counts.han++
      if (SIMPLIFIED.has(c)) counts.simplified++
      else if (TRADITIONAL.has(c)) counts.traditional++
    } else if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff)) counts.kana++
  }
  return counts
}

/** CJK Unified Ideographs with extensions A–H and compatibility ideographs. */
function isHan(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x20000 && c <= 0x323af)
  )
}

/** ASCII letters and digits, and the Latin letters of Latin-1 and Latin Extended-A/B. */
function isLatinOrDigit(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  )
}

/** BCP 47 language of the text: zh-Hans, zh-Hant, zh, ja or en. */
export function detectLang(counts: TextCounts): string {
  const { han, kana, words, simplified, traditional } = counts
  // An ideograph carries about as much as a word: compare them one for one (code and names
  // in a Chinese article are words too, but far fewer than its characters).
  if (han + kana < words) return 'en'
  if (kana > (han + kana) / 10) return 'ja'
  if (simplified > traditional * 2) return 'zh-Hans'
  if (traditional > simplified * 2) return 'zh-Hant'
  return 'zh'
}

/** Characters of CJK per minute, and words of other scripts (Medium's rates). */
const CJK_PER_MINUTE = 500
const WORDS_PER_MINUTE = 265

export function readingMinutes(counts: TextCounts): number {
  return Math.max(1, Math.round((counts.han + counts.kana) / CJK_PER_MINUTE + counts.words / WORDS_PER_MINUTE))
}

/** Description budget in columns: 160 Latin characters, or 80 CJK ones. */
export const EXCERPT_COLUMNS = 160

/**
 * The start of the text, cut to `columns` display columns (a CJK character
 * counts two): at a sentence end when one falls in the second half, else at
 * a word boundary for spaced scripts with an ellipsis.
 */
export function excerpt(text: string, columns = EXCERPT_COLUMNS): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  let width = 0
  let end = 0
  let sentenceEnd = 0
  let space = 0
  for (const char of clean) {
    const w = WIDE.test(char) ? 2 : 1
    if (width + w > columns - 1) break
    width += w
    end += char.length
    if (/[。！？!?.;；]/.test(char)) sentenceEnd = end
    if (char === ' ') space = end - 1
  }
  if (end >= clean.length) return clean
  if (sentenceEnd > end / 2) return clean.slice(0, sentenceEnd)
  const cut = WIDE.test(clean.slice(end - 1, end)) || space === 0 ? end : space
  return `${clean.slice(0, cut).trimEnd()}…`
}
