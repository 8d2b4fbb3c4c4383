import type { TestProject } from 'vitest/node'
import '../support/provided.d.ts'
import { buildSite } from '../../src/builder/site.ts'
import { seedAndCorpusDir } from '../support/corpus.ts'

/** Builds content/ plus the corpus once, in Node; the workerd tests load the entries into KV. */
export default async function setup(project: TestProject) {
  const site = await buildSite(seedAndCorpusDir())
  if (site.errors.length > 0) throw new Error(`test site does not build:\n${site.errors.join('\n')}`)
  project.provide('siteEntries', site.entries)
  project.provide('siteManifest', site.manifest)
}
