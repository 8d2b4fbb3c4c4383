/**
 * The safety net for rules: which posts lost much of their text to rules
 * (warnings, or errors with --strict) and `<out>/removed.json`, the list of
 * post → rule → characters an operator audits a new site's rules with.
 */
import type { Removals } from './normalise/index.ts'
import { ruleReason } from './normalise/site-rules.ts'
import { byLocale } from './report-text.ts'

/** What the rules removed from one post. */
export interface PostRemovals extends Removals {
  /** As in manifest.json (relative to the content folder). */
  file: string
  /** As messages show it. */
  path: string
}

/** Share of a post's text the rules may remove before the build says so. */
export const DEFAULT_MAX_REMOVED_SHARE = 0.2

function removed({ byRule }: Removals): number {
  return Object.values(byRule).reduce((sum, n) => sum + n, 0)
}

function share(post: Removals): number {
  return post.characters === 0 ? 0 : removed(post) / post.characters
}

/** Posts where rules removed more than `maxShare` of the text, worst first. */
export function overRemoved(removals: readonly PostRemovals[], maxShare: number): PostRemovals[] {
  return removals.filter((post) => share(post) > maxShare).sort((a, b) => share(b) - share(a))
}

/** `rules removed 9,120 of 10,000 characters (91%): pao-pao.net/reader-comments 9,000, hidden-at-source 120` */
export function removalMessage(post: Removals): string {
  const rules = Object.entries(post.byRule)
    .sort(([, a], [, b]) => b - a)
    .map(([rule, n]) => `${rule} ${n.toLocaleString('en')}`)
  const percent = Math.round(share(post) * 100)
  return `rules removed ${removed(post).toLocaleString('en')} of ${post.characters.toLocaleString('en')} characters (${percent}%): ${rules.join(', ')}`
}

/** removed.json: each rule with its reason and totals, then each post (most removed first) with what each rule took. */
export function removedJson(removals: readonly PostRemovals[], maxShare: number): string {
  const rules = new Map<string, { why: string | undefined; posts: number; characters: number }>()
  for (const post of removals) {
    for (const [rule, n] of Object.entries(post.byRule)) {
      const total = rules.get(rule) ?? { why: ruleReason(rule), posts: 0, characters: 0 }
      total.posts++
      total.characters += n
      rules.set(rule, total)
    }
  }
  // Each share is worked out once, not once per comparison: 10,000 posts sort in ~140,000.
  const shares = new Map(removals.map((post) => [post, share(post)]))
  const shareOf = (post: PostRemovals) => shares.get(post) ?? 0
  const posts = [...removals].sort((a, b) => shareOf(b) - shareOf(a) || byLocale(a.file, b.file))
  const report = {
    maxRemovedShare: maxShare,
    rules: Object.fromEntries([...rules].sort(([, a], [, b]) => b.characters - a.characters)),
    posts: Object.fromEntries(
      posts.map((post) => [
        post.file,
        {
          characters: post.characters,
          removed: removed(post),
          share: Number(shareOf(post).toFixed(3)),
          byRule: post.byRule,
        },
      ]),
    ),
  }
  return `${JSON.stringify(report, null, 2)}\n`
}
