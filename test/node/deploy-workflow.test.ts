import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}

/** The workflow as GitHub reads it, parsed by the YAML parser the build already uses (js-yaml). */
const text = readFileSync(join(import.meta.dirname, '../../.github/workflows/deploy.yml'), 'utf8')
const workflow = yaml.load(text) as {
  on: { push?: { branches?: string[] } }
  concurrency: { group: string; 'cancel-in-progress': boolean }
  jobs: Record<string, { steps: Step[] }>
}

describe('the deploy-on-push workflow', () => {
  const jobs = Object.values(workflow.jobs)
  const steps = jobs.flatMap((job) => job.steps)

  it('runs on a push to main, one deploy at a time, never cancelling one under way', () => {
    expect(workflow.on.push?.branches).toEqual(['main'])
    expect(workflow.concurrency.group).toMatch(/\S/)
    expect(workflow.concurrency['cancel-in-progress']).toBe(false)
    expect(jobs).toHaveLength(1)
  })

  it('checks out, installs from the lock file and deploys, in that order, with no build cache', () => {
    const index = (match: (step: Step) => boolean) => steps.findIndex(match)
    const checkout = index((s) => /^actions\/checkout@/.test(s.uses ?? ''))
    const install = index((s) => /^npm ci\b/.test(s.run ?? ''))
    const deploy = index((s) => (s.run ?? '').trim() === 'npm run deploy')
    expect(checkout).toBeGreaterThanOrEqual(0)
    expect(install).toBeGreaterThan(checkout)
    expect(deploy).toBeGreaterThan(install)
    expect(steps.filter((s) => /actions\/cache/.test(s.uses ?? ''))).toEqual([])
  })

  it('gives deploy the Cloudflare credentials and the purge settings, from secrets and variables only', () => {
    const deploy = steps.find((s) => (s.run ?? '').trim() === 'npm run deploy') as Step
    // GitHub's expression syntax, not a template string.
    const expression = (name: string) => `\${{ ${name} }}`
    expect(deploy.env).toMatchObject({
      CLOUDFLARE_API_TOKEN: expression('secrets.CLOUDFLARE_API_TOKEN'),
      CLOUDFLARE_ACCOUNT_ID: expression('secrets.CLOUDFLARE_ACCOUNT_ID'),
      CACHE_PURGE_TOKEN: expression('secrets.CACHE_PURGE_TOKEN'),
      IMAGE_ARCHIVE_TOKEN: expression('secrets.IMAGE_ARCHIVE_TOKEN'),
      SITE_URL: expression('vars.SITE_URL'),
    })
    // Every secret the file names is one the header comment documents.
    const named = new Set([...text.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]))
    expect([...named].sort()).toEqual([
      'CACHE_PURGE_TOKEN',
      'CLOUDFLARE_ACCOUNT_ID',
      'CLOUDFLARE_API_TOKEN',
      'IMAGE_ARCHIVE_TOKEN',
    ])
    for (const name of named) expect(text.split('\njobs:')[0]).toContain(name)
  })
})
