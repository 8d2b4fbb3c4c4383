import { join } from 'node:path'
import { npmRun } from '../command.ts'
import { type BenchContext, generatePosts, LARGE_SITE_POSTS, type SectionResult } from '../context.ts'
import { median } from '../stats.ts'

/** The part of `npm run deploy -- --json`'s plan this section reads. */
interface DeployPlan {
  upToDate: boolean
  puts: number
  deletes: number
  bytes: number
  steps: { phase: string; action: string; count: number; keys: string[] }[]
}

interface Publish {
  /** `npm run deploy` from spawn to exit: build of the whole folder, plan, writes. */
  seconds: number
  /** The writes alone, as deploy reports them. */
  writeSeconds: number
  puts: number
  deletes: number
  bytes: number
  /** Keys written, by kind (the prefix before the first colon). */
  kinds: Record<string, number>
}

/**
 * 5. Publishing one new post into a local deployment of 10,000: the
 * deploy tool's `--local` mode (wrangler's local KV state, as `npm start`
 * serves it) with a folder made by scripts/generate-posts.ts; each run adds
 * the next newest post, as a writer would.
 */
export async function benchPublish(ctx: BenchContext): Promise<SectionResult> {
  const site = await ctx.largeSite()
  const state = join(ctx.tmp, 'publish-state')
  const deploy = () =>
    npmRun('deploy', [
      '--local',
      '--persist-to',
      state,
      '--content',
      site.dir,
      '--out',
      join(ctx.tmp, 'publish-dist'),
      '--json',
    ])

  const initial = measured(await deploy())
  ctx.log(`publish: initial deployment of ${site.posts} posts, ${initial.puts} keys in ${initial.seconds.toFixed(1)} s`)
  const runs = Math.min(ctx.runs, 2)
  const publishes: Publish[] = []
  for (let i = 0; i < runs; i++) {
    await generatePosts(site.dir, 1, LARGE_SITE_POSTS + i)
    const publish = measured(await deploy())
    if (!publish.kinds.post)
      throw new Error(`publishing post ${LARGE_SITE_POSTS + i} wrote no post key: ${JSON.stringify(publish.kinds)}`)
    publishes.push(publish)
    ctx.log(
      `publish run ${i + 1}/${runs}: ${publish.puts} puts, ${publish.deletes} deletes in ${publish.seconds.toFixed(1)} s`,
    )
  }

  const seconds = median(publishes.map((p) => p.seconds))
  const writeSeconds = median(publishes.map((p) => p.writeSeconds))
  const keys = median(publishes.map((p) => p.puts + p.deletes))
  const kinds = Object.entries(publishes[publishes.length - 1].kinds)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ')
  return {
    data: { posts: site.posts, initial, publishes },
    rows: [
      {
        section: 'Publish',
        measure: `1 new post into a ${site.posts.toLocaleString('en')}-post local deployment (\`npm run deploy -- --local\`)`,
        result: `**${seconds.toFixed(1)} s**, **${keys} keys** written (${kinds}); writes ${writeSeconds.toFixed(1)} s of it (median of ${runs})`,
      },
      {
        section: 'Publish',
        measure: `first deployment of the ${site.posts.toLocaleString('en')} posts (setup)`,
        result: `${initial.seconds.toFixed(1)} s, ${initial.puts.toLocaleString('en')} keys`,
      },
    ],
  }
}

const DEPLOYED = /deployed to .* in ([\d.]+) s/

function measured({ seconds, stdout, stderr }: { seconds: number; stdout: string; stderr: string }): Publish {
  const plan = JSON.parse(stdout) as DeployPlan
  const kinds: Record<string, number> = {}
  for (const step of plan.steps)
    for (const key of step.keys) kinds[key.split(':')[0]] = (kinds[key.split(':')[0]] ?? 0) + 1
  const writes = DEPLOYED.exec(stderr)
  if (!writes && !plan.upToDate) throw new Error(`npm run deploy reported no writes:\n${stderr}`)
  return {
    seconds,
    writeSeconds: writes ? Number(writes[1]) : 0,
    puts: plan.puts,
    deletes: plan.deletes,
    bytes: plan.bytes,
    kinds,
  }
}
