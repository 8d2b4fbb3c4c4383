/**
 * Splits a content file into front matter and body, and reads the front matter
 * as YAML with js-yaml's safe schema.
 *
 * This replaces gray-matter, whose defaults let a post run code on the
 * publisher's machine: its opening line can name a language (`---js`,
 * `--- JavaScript`), and its JavaScript engine `eval`s the front matter. It
 * also tested front matter for emptiness with a regex that takes quadratic time
 * on blank lines (40,000 of them: 5 s). The split here is gray-matter's, so
 * every post reads as before; YAML is the only language.
 */
import yaml from 'js-yaml'
import { PostError } from './post-error.ts'
import { shownValue } from './report-text.ts'

/** Real front matter is a few hundred bytes; a huge one is an attack or a missing closing `---`, and js-yaml reads 30 MB in ~8 s. */
export const MAX_FRONT_MATTER_BYTES = 1024 * 1024

/**
 * YAML timestamps stay text for post-date.ts to read: js-yaml would turn years
 * 0–99 into 1900–1999 (`0000-01-01` became 1900-01-01) and roll 2024-02-30
 * over to March 1.
 */
const timestampAsText = new yaml.Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (text: string | null) => text !== null && /^\d{4}-\d/.test(text),
  construct: (text: string) => text,
})

/** js-yaml's safe schema (no `!!js/*` types) with timestamps as text. */
const FRONT_MATTER_SCHEMA = new yaml.Schema({ include: [yaml.DEFAULT_SAFE_SCHEMA], implicit: [timestampAsText] })

export interface FrontMatter {
  data: Record<string, unknown>
  /** The body after the closing `---`. */
  content: string
}

export function readFrontMatter(file: string, source: string): FrontMatter {
  const text = source.replace(/^\uFEFF+/, '')
  // `----` opens no front matter (a Markdown rule or a Setext heading).
  if (!text.startsWith('---') || text[3] === '-') return { data: {}, content: text }
  const lineEnd = text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')
  const language = text.slice(3, lineEnd).trim()
  if (language && !/^ya?ml$/i.test(language)) {
    const hint = language.toLowerCase() === 'json' ? ' (YAML reads JSON: start the front matter with a plain ---)' : ''
    throw new PostError(file, `front matter language "${shownValue(language)}" is not allowed${hint}`, 1)
  }
  // The front matter ends at the first line that starts with `---`; without one, the whole file is front matter.
  const close = text.indexOf('\n---', lineEnd)
  const end = close === -1 ? text.length : close
  const matter = text.slice(lineEnd, end)
  const content = close === -1 ? '' : text.slice(close + 4).replace(/^\r?\n?/, '')
  if (Buffer.byteLength(matter) > MAX_FRONT_MATTER_BYTES) {
    throw new PostError(
      file,
      `front matter is over ${MAX_FRONT_MATTER_BYTES / 1024 / 1024} MiB${close === -1 ? ' (no closing --- line)' : ''}`,
    )
  }
  const data = parseYaml(file, matter) ?? {}
  if (typeof data !== 'object' || Array.isArray(data))
    throw new PostError(file, `front matter is ${shownValue(data)}, not keys and values`, 2)
  return { data: data as Record<string, unknown>, content }
}

function parseYaml(file: string, matter: string): unknown {
  try {
    return yaml.safeLoad(matter, { schema: FRONT_MATTER_SCHEMA })
  } catch (err) {
    // js-yaml reads nesting recursively: 100,000 `[` exhaust the stack.
    if (err instanceof RangeError) throw new PostError(file, 'front matter is nested too deeply')
    const { mark, reason } = err as { mark?: { line?: number }; reason?: string }
    // js-yaml counts lines from 0 in the front matter, which starts at the end of the opening `---` line.
    const line = typeof mark?.line === 'number' ? mark.line + 1 : undefined
    throw new PostError(file, `front matter is not valid YAML: ${reason ?? (err as Error).message}`, line)
  }
}
