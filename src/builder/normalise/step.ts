import type { ParentNode } from './tree.ts'

/** What every normalisation step may know about the post it rewrites. */
export interface NormaliseContext {
  /** The source article (`from`): base of relative URLs, key of the site rules. */
  source?: URL
  /** Source URL (normalised by `linkKey`) → this site's path, for posts mirrored here. */
  localLinks: ReadonlyMap<string, string>
  /** Filled by `absoluteUrls`: the `linkKey` of every link, so a cached result knows which local links it depends on. */
  linkTargets: Set<string>
  /** Filled by the steps that remove text: characters removed per rule name (removals.ts). */
  removed: Map<string, number>
  /** The post's title, which the body need not repeat. */
  title?: string
}

/** One rewrite of the parsed body, in place. */
export type Step = (root: ParentNode, context: NormaliseContext) => void
