/**
 * Progress for long runs on stderr: a line every `every` items and at the end,
 * so CI logs stay short and a terminal still shows that work goes on.
 */
export function progressReporter(label: string, every = 1000): (done: number, total: number) => void {
  const started = performance.now()
  return (done, total) => {
    if (total < every || (done % every !== 0 && done !== total)) return
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    process.stderr.write(`  ${label} ${done}/${total} (${seconds} s)\n`)
  }
}
