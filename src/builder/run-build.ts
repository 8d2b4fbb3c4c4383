import type { PreviousBuild } from './build-state.ts'
import { progressReporter } from './progress.ts'
import { DEFAULT_MAX_REMOVED_SHARE, overRemoved, removalMessage, removedJson } from './removal-report.ts'
import { shownName } from './report-text.ts'
import { buildSite, type SiteBuild } from './site.ts'
import { writeBuildOutput } from './write-output.ts'

export interface RunBuildOptions {
  content: string
  out: string
  skipInvalid: boolean
  /** Share of a post's text rules may remove before the build warns (default 0.2). */
  maxRemovedShare?: number
  /** Posts over `maxRemovedShare` are errors: nothing is written. */
  strict?: boolean
  /** What an earlier build left (deploy reads it from KV): see BuildOptions.previous. */
  previous?: PreviousBuild | Promise<PreviousBuild | undefined>
  /** Write the KV bulk files too (`npm run build`); deploy uploads from memory and writes only the manifest. */
  bulkFiles?: boolean
  /** Leave the writing to the caller (`writeOutput`): deploy writes once the posts are live. */
  deferOutput?: boolean
}

export interface BuiltSite {
  site: SiteBuild
  /** The KV bulk files written (none when deferred or without bulk files). */
  files: string[]
  /** Writes the output folder; already done unless `deferOutput`. */
  writeOutput: () => Promise<string[]>
}

/**
 * Builds and reports like the CLI: warnings and errors to stderr, a summary
 * line to stdout. Returns null (having written nothing) when the build failed.
 */
export async function runBuild({
  content,
  out,
  skipInvalid,
  maxRemovedShare = DEFAULT_MAX_REMOVED_SHARE,
  strict = false,
  previous,
  bulkFiles = true,
  deferOutput = false,
}: RunBuildOptions): Promise<BuiltSite | null> {
  const started = performance.now()
  const progress = { read: progressReporter('read'), rendered: progressReporter('rendered') }
  const site = await buildSite(content, { onProgress: (stage, done, total) => progress[stage](done, total), previous })
  const seconds = (performance.now() - started) / 1000

  // File names are shown escaped (report-text.ts): each message stays one line whatever a name holds.
  for (const { slug, files } of site.collisions) {
    console.warn(
      `warning: ${files.length} posts want the slug "${slug}"; ${shownName(files[0])} keeps it, the others get a suffix:`,
    )
    for (const file of files.slice(1)) console.warn(`  ${shownName(file)}`)
  }
  for (const warning of site.warnings) console.warn(`warning: ${warning}`)
  const overRules = overRemoved(site.removals, maxRemovedShare)
  for (const post of overRules)
    console.warn(`${strict ? 'error' : 'warning'}: ${shownName(post.path)}: ${removalMessage(post)}`)
  for (const { file, reason } of site.skipped) console.log(`skipped ${shownName(file)} (${reason})`)

  if (strict && overRules.length > 0) {
    console.error(
      `${overRules.length} post(s) lost more than ${maxRemovedShare * 100}% of their text to rules; nothing written (--strict)`,
    )
    return null
  }
  if (site.errors.length > 0) {
    for (const error of site.errors) console.error(`error: ${error}`)
    if (!skipInvalid) {
      console.error(`${site.errors.length} invalid post(s); nothing written (use --skip-invalid to publish the rest)`)
      return null
    }
    console.warn(`skipped ${site.errors.length} invalid post(s)`)
  }

  const writeOutput = () =>
    writeBuildOutput(out, bulkFiles ? site.entries : [], site.manifest, removedJson(site.removals, maxRemovedShare))
  const files = deferOutput ? [] : await writeOutput()
  const megabytes = site.entries.reduce((sum, e) => sum + e.value.length, 0) / 1e6
  const reused = site.unchanged.length > 0 ? `, ${site.unchanged.length} unchanged keys not made again` : ''
  console.log(
    `built ${site.manifest.length} posts (${megabytes.toFixed(1)} MB) in ${seconds.toFixed(2)} s` +
      ` (rendered ${site.rendered.length}${reused}) → ${out}/manifest.json, ${out}/removed.json` +
      (bulkFiles ? ` and ${files.length} KV bulk file(s)` : ''),
  )
  return { site, files, writeOutput }
}
