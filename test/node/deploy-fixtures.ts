import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSite, type SiteBuild } from '../../src/builder/site.ts'
import { applyDeploy, type DeployOptions, type DeployResult, planDeploy } from '../../src/deploy/deploy.ts'
import type { MemoryStore } from '../../src/deploy/memory-store.ts'
import { keys } from '../../src/shared/schema.ts'
import { fixturesDir, postFiles } from '../support/corpus.ts'

/** Plans, then applies: what `npm run deploy` does after showing the plan (src/deploy/run-deploy.ts). */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  return applyDeploy(await planDeploy(options), options)
}

/** The n smallest fixture posts: real posts, quick to build and upload. */
export function smallPosts(n: number): string[] {
  return postFiles(fixturesDir)
    .map((name) => ({ name, size: statSync(join(fixturesDir, name)).size }))
    .sort((a, b) => a.size - b.size || a.name.localeCompare(b.name))
    .slice(0, n)
    .map((p) => p.name)
}

/** A content folder of fixture posts that a test edits between builds, as an author would. */
export class SiteFolder {
  readonly dir = mkdtempSync(join(tmpdir(), 'deploy-site-'))
  private readonly posts = join(this.dir, 'posts')

  constructor(names: string[]) {
    mkdirSync(this.posts)
    for (const name of names) this.add(name)
  }

  add(name: string, as = name): void {
    copyFileSync(join(fixturesDir, name), join(this.posts, as))
  }

  remove(name: string): void {
    rmSync(join(this.posts, name))
  }

  rename(name: string, to: string): void {
    renameSync(join(this.posts, name), join(this.posts, to))
  }

  edit(name: string, change: (text: string) => string): void {
    const path = join(this.posts, name)
    writeFileSync(path, change(readFileSync(path, 'utf8')))
  }

  async build(): Promise<SiteBuild> {
    const site = await buildSite(this.dir)
    if (site.errors.length > 0) throw new Error(site.errors.join('\n'))
    return site
  }

  /** The KV key of the post built from `name`. */
  static postKey(site: SiteBuild, name: string): string {
    return keys.post(SiteFolder.row(site, name).slug)
  }

  /** The path the worker serves the post built from `name` at. */
  static postUrl(site: SiteBuild, name: string): string {
    return SiteFolder.row(site, name).url
  }

  private static row(site: SiteBuild, name: string) {
    const row = site.manifest.find((m) => m.file.endsWith(`/${name}`))
    if (!row) throw new Error(`${name} is not in the build`)
    return row
  }
}

/** The store holds exactly the build's keys and values, plus the deploy state. */
export function storedSite(store: MemoryStore): Record<string, string> {
  return Object.fromEntries(
    [...store.values].filter(([key]) => key !== keys.deployState).sort(([a], [b]) => a.localeCompare(b)),
  )
}

export function builtSite(site: SiteBuild): Record<string, string> {
  return Object.fromEntries(site.entries.map((e) => [e.key, e.value]).sort(([a], [b]) => a.localeCompare(b)))
}

/**
 * What a reader can reach: starting from every listing (any key that is not a
 * post), follow every string that is the URL of a post, through posts to the
 * posts they link to. Returns how many links were followed and the URLs whose
 * post is not stored.
 */
export function reachability(
  values: ReadonlyMap<string, string>,
  postKeyByUrl: ReadonlyMap<string, string>,
): { followed: number; broken: string[] } {
  const linked = (text: string): string[] => {
    const found: string[] = []
    const walk = (v: unknown): void => {
      if (typeof v === 'string') {
        if (postKeyByUrl.has(v)) found.push(v)
      } else if (Array.isArray(v)) v.forEach(walk)
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    walk(JSON.parse(text))
    return found
  }
  const queue: string[] = []
  for (const [key, value] of values)
    if (!key.startsWith(keys.post('')) && key !== keys.deployState) queue.push(...linked(value))
  const seen = new Set<string>()
  const broken: string[] = []
  let followed = 0
  while (queue.length > 0) {
    const url = queue.pop() as string
    followed++
    if (seen.has(url)) continue
    seen.add(url)
    const value = values.get(postKeyByUrl.get(url) as string)
    if (value === undefined) broken.push(url)
    else queue.push(...linked(value).filter((u) => u !== url))
  }
  return { followed, broken }
}

/** URL → post key for every post of the given builds. */
export function postUrls(...sites: SiteBuild[]): Map<string, string> {
  return new Map(sites.flatMap((site) => site.posts.map((p) => [p.url, keys.post(p.slug)] as [string, string])))
}
