import { oneLine, shownName } from './report-text.ts'

/** A problem with one content file, reported with its path and, when known, its line. */
export class PostError extends Error {
  readonly file: string
  readonly line?: number

  constructor(file: string, message: string, line?: number) {
    super(message)
    this.name = 'PostError'
    this.file = file
    this.line = line
  }

  /** `content/posts/x.md:3: message`, the form editors and CI logs link. */
  override toString(): string {
    return located(this.file, this.line, this.message)
  }
}

/** Something odd in a content file that the build went on from (a fallback title or date; a link to a folder, not followed). */
export class PostWarning {
  readonly file: string
  readonly message: string
  readonly line?: number

  constructor(file: string, message: string, line?: number) {
    this.file = file
    this.message = message
    this.line = line
  }

  toString(): string {
    return located(this.file, this.line, this.message)
  }
}

/** Always one line, whatever the file's name or the message holds (see report-text.ts). */
function located(file: string, line: number | undefined, message: string): string {
  return `${shownName(file)}${line ? `:${line}` : ''}: ${oneLine(message)}`
}
