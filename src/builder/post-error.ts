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
    return `${this.file}${this.line ? `:${this.line}` : ''}: ${this.message}`
  }
}
