/** Numbers and sizes as deploy's messages print them. */

const number = new Intl.NumberFormat('en-US')

export function formatNumber(n: number): string {
  return number.format(n)
}

export function formatCount(n: number, noun: string): string {
  return `${formatNumber(n)} ${noun}${n === 1 ? '' : 's'}`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`
  return `${(bytes / 1e6).toFixed(1)} MB`
}
