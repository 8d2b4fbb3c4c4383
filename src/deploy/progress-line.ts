/** How often a log (not a terminal) gets a progress line. */
const LOG_EVERY_MS = 10_000

export interface ProgressLine {
  /** The latest state of the work under way. */
  update(text: string): void
  /** The work is done: its last state stays. */
  end(): void
}

/**
 * Progress of a long upload on one line: rewritten in place on a terminal;
 * in a log (CI), a line every 10 s and the last one.
 */
export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  let pending: string | undefined
  let shownAt = 0
  if (stream.isTTY)
    return {
      update(text) {
        pending = text
        stream.write(`\r\u001b[K${text}`)
      },
      end() {
        if (pending !== undefined) stream.write('\n')
        pending = undefined
      },
    }
  return {
    update(text) {
      pending = text
      if (performance.now() - shownAt < LOG_EVERY_MS) return
      stream.write(`${text}\n`)
      shownAt = performance.now()
      pending = undefined
    },
    end() {
      if (pending !== undefined) stream.write(`${pending}\n`)
      pending = undefined
      shownAt = 0
    },
  }
}
