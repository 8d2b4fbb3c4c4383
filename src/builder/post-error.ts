import { oneLine, shownName } from './report-text.ts'

/** A problem with one content file, reported with its path and, when known, its line. */
export class PostError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    super(message)
    this.name = 'PostError'
  }

  /** `content/posts/x.md:3: message`, the form editors and CI logs link. */
  override toString(): string {
    return located(this.file, this.line, this.message)
  }
}

/** Something odd in a content file that the build went on from (a fallback title or date; a link to a folder, not followed). */
export class PostWarning {
  constructor(
    readonly file: string,
    readonly message: string,
    readonly line?: number,
  ) {}

  toString(): string {
    return located(this.file, this.line, this.message)
  }
}

/** Always one line, whatever the file's name or the message holds (see report-text.ts). */
function located(file: string, line: number | undefined, message: string): string {
  return `${shownName(file)}${line ? `:${line}` : ''}: ${oneLine(message)}`
}
