/** Number formats shared by the sections' table rows. */

/** Milliseconds with two decimals below 10, one above. */
export function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1)
}

/** ✓ for a target met (value ≤ target), else ✗ with how many times over it the value is. */
export function mark(met: boolean, value: number, target: number): string {
  return met ? '✓' : `✗ (${(value / target).toFixed(1)}× the target)`
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}
