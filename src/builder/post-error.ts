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

  /** `content/posts/x.md:3: message`, the form editors and CI logs link; always one line (see report-text.ts). */
  override toString(): string {
    return `${shownName(this.file)}${this.line ? `:${this.line}` : ''}: ${oneLine(this.message)}`
  }
}
