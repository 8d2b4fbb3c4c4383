import type { DeployPlan } from './deploy.ts'
import { formatBytes, formatCount, formatNumber } from './format.ts'

/** The plan as people read it: one line per step, then the totals. */
export function planLines(plan: DeployPlan, purging: boolean): string[] {
  const lines = [`deploy plan for ${plan.target}:`]
  for (const step of plan.steps) {
    const size = step.action === 'delete' ? '' : ` (${formatBytes(step.bytes)})`
    lines.push(`  ${`${step.phase} ${step.action}`.padEnd(16)} ${formatCount(step.keys.length, 'key')}${size}`)
  }
  if (plan.code !== 'skipped')
    lines.push(`  ${'worker code'.padEnd(16)} ${plan.code === 'deploy' ? 'changed: wrangler deploy' : 'unchanged'}`)
  const resumed = plan.resumed > 0 ? `, ${formatCount(plan.resumed, 'key')} already done by an interrupted run` : ''
  lines.push(
    `  total: ${formatCount(plan.puts, 'put')} (${formatBytes(plan.bytes)}), ${formatCount(plan.deletes, 'delete')},` +
      ` ${formatCount(plan.unchanged, 'key')} unchanged${resumed}`,
  )
  if (purging && plan.purgeTags.length > 0)
    lines.push(`  then purge ${formatCount(plan.purgeTags.length, 'cache tag')}: ${preview(plan.purgeTags)}`)
  if (plan.upToDate) lines.push('  up to date: nothing to do')
  return lines
}

/** The plan as scripts read it (`--json`): counts, then the keys of each step. */
export function planJson(plan: DeployPlan, dryRun: boolean, purging: boolean): object {
  return {
    target: plan.target,
    dryRun,
    upToDate: plan.upToDate,
    puts: plan.puts,
    deletes: plan.deletes,
    bytes: plan.bytes,
    unchanged: plan.unchanged,
    resumed: plan.resumed,
    code: plan.code,
    steps: plan.steps.map((s) => ({
      phase: s.phase,
      action: s.action,
      count: s.keys.length,
      bytes: s.bytes,
      keys: s.keys.map((k) => k.key),
    })),
    purgeTags: plan.purgeTags,
    purging,
  }
}

function preview(items: readonly string[], shown = 5): string {
  return items.length <= shown
    ? items.join(', ')
    : `${items.slice(0, shown).join(', ')}, … (${formatNumber(items.length - shown)} more)`
}
