import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { wranglerBin } from '../../src/deploy/wrangler-bin.ts'
import { bundleWorker } from '../bundle.ts'
import { runCommand } from '../command.ts'
import type { BenchContext, SectionResult } from '../context.ts'
import { kib, mark, ms } from '../format.ts'
import { median } from '../stats.ts'
import { startWorkerd } from '../workerd.ts'

const TARGET_GZIP_KIB = 300

/**
 * 4. The product worker as `wrangler deploy --dry-run --outdir` writes it:
 * size raw and gzipped (every module, no source maps), and its startup —
 * `wrangler check startup`'s local CPU profile of evaluating the script, and
 * the first request of a freshly started workerd.
 */
export async function benchBundle(ctx: BenchContext): Promise<SectionResult> {
  const bundle = await bundleWorker('wrangler.toml', join(ctx.tmp, 'product-bundle'))
  let raw = 0
  let gzip = 0
  for (const module of bundle.modules) {
    const bytes = await readFile(module)
    raw += bytes.length
    gzip += gzipSync(bytes).length
  }
  const wranglerSays = /Total Upload: .*/.exec(bundle.stdout)?.[0]

  const runs = ctx.quick ? 1 : 3
  const startupMs: number[] = []
  for (let i = 0; i < runs; i++) {
    const { stdout } = await runCommand(process.execPath, [
      wranglerBin,
      'check',
      'startup',
      '--outfile',
      join(ctx.tmp, 'startup.cpuprofile'),
    ])
    const active = /Active: ([\d.]+) ms/.exec(stdout)
    if (!active) throw new Error(`wrangler check startup printed no startup time:\n${stdout}`)
    startupMs.push(Number(active[1]))
  }
  const cold = []
  for (let i = 0; i < runs; i++) cold.push(await coldStart(ctx, bundle.script, i))
  ctx.log(`bundle: ${kib(raw)} raw, ${kib(gzip)} gzip; startup ${startupMs.join(', ')} ms`)

  const gzipKiB = gzip / 1024
  const firstRequestMs = median(cold.map((c) => c.firstRequestMs))
  const warmRequestMs = median(cold.map((c) => c.warmRequestMs))
  return {
    data: {
      modules: bundle.modules.length,
      rawBytes: raw,
      gzipBytes: gzip,
      wranglerSays,
      targetGzipKiB: TARGET_GZIP_KIB,
      startupActiveMs: startupMs,
      cold,
    },
    rows: [
      {
        section: 'Bundle',
        measure: 'worker size, raw / gzipped (`wrangler deploy --dry-run --outdir`)',
        result: `${kib(raw)} / **${kib(gzip)}**`,
        target: `≤ ${TARGET_GZIP_KIB} KiB gzipped ${mark(gzipKiB <= TARGET_GZIP_KIB, gzipKiB, TARGET_GZIP_KIB)}`,
      },
      {
        section: 'Bundle',
        measure: 'startup: script evaluation, CPU (`wrangler check startup`, local profile)',
        result: `**${ms(median(startupMs))} ms** (median of ${runs})`,
      },
      {
        section: 'Bundle',
        measure: 'first request to a freshly started workerd (`/healthz`), then the next',
        result: `${ms(firstRequestMs)} ms, then ${ms(warmRequestMs)} ms (median of ${runs})`,
      },
    ],
  }
}

/** A new workerd on the bundle: how long its first request takes, and the one after. */
async function coldStart(ctx: BenchContext, script: string, run: number) {
  const worker = await startWorkerd({
    script,
    vars: { IMAGE_PROXY_KEY: randomBytes(32).toString('base64url') },
    persistTo: join(ctx.tmp, `cold-state-${run}`),
    port: 0,
  })
  try {
    const timed = async () => {
      const started = performance.now()
      const response = await fetch(`${worker.url}/healthz`)
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`cold start: /healthz answered ${response.status}`)
      return performance.now() - started
    }
    return { firstRequestMs: await timed(), warmRequestMs: await timed() }
  } finally {
    await worker.dispose()
  }
}
