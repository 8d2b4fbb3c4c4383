import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import type { Row } from './context.ts'

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  node: string
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
  }
}

/** The 1-minute load average over the cores: above 1, processes were waiting for a CPU. */
export function loadPerCore(): number {
  return loadavg()[0] / cpus().length
}

export interface Header {
  date: Date
  machine: Machine
  command: string
  /** Load per core at the start and end of the run. */
  load: [number, number]
}

/** The table as markdown, with the date, machine and load above it: what README's Benchmarks section carries. */
export function markdownTable({ date, machine: m, command, load }: Header, rows: readonly Row[]): string {
  const loaded = Math.max(...load) > 1
  const lines = [
    `Measured ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\` on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}.`,
    `Load average per core at start / end: ${load.map((l) => l.toFixed(2)).join(' / ')}` +
      (loaded
        ? ' — **taken under load** (other work shared the CPUs): absolute numbers are pessimistic; ratios are taken within one run.'
        : '.'),
    '',
    '| Section | Measure | Result | Target / reference |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${[r.section, r.measure, r.result, r.target ?? ''].map(cell).join(' | ')} |`),
  ]
  return `${lines.join('\n')}\n`
}

/** A table cell: one line, no column breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
}
