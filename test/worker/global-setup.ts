import type { TestProject } from 'vitest/node'
import '../support/provided.d.ts'
import { buildSite, type SiteBuild } from '../../src/builder/site.ts'
import { corpusDir, fixturesDir, hasSharedCorpus, siteWith } from '../support/corpus.ts'

/**
 * Builds the test site (content/ plus the fixtures) once, in Node, and the
 * whole shared corpus too when it is beside the repo; the workerd tests load
 * the entries into KV.
 */
export default async function setup(project: TestProject) {
  const site = await built(siteWith(fixturesDir))
  project.provide('siteEntries', site.entries)
  project.provide('siteManifest', site.manifest)
  project.provide('siteSearch', site.search)
  const corpus = hasSharedCorpus ? await built(siteWith(corpusDir)) : null
  project.provide('corpusEntries', corpus?.entries ?? null)
  project.provide('corpusManifest', corpus?.manifest ?? null)
  project.provide('corpusSearch', corpus?.search ?? null)
}

async function built(dir: string): Promise<SiteBuild> {
  const site = await buildSite(dir)
  if (site.errors.length > 0) throw new Error(`test site does not build:\n${site.errors.join('\n')}`)
  return site
}
