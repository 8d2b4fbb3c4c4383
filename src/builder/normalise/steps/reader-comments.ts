import { selectAll } from 'css-select'
import { recordRemoval, textLength } from '../removals.ts'
import { rulesFor } from '../site-rules.ts'
import { isSpam } from '../spam.ts'
import type { Step } from '../step.ts'
import { createElement, outermost, remove, replaceWith, Text } from '../tree.ts'

/**
 * Reader-comment threads (comment rules in site-rules.ts): spam goes; genuine
 * comments stay below the article in a collapsed, labelled section; the
 * thread's furniture goes with the thread. All of it is counted under the rule.
 */
export const readerComments: Step = (root, context) => {
  for (const rule of rulesFor(context.source?.hostname).comments) {
    for (const thread of outermost(selectAll(rule.thread, root.children))) {
      const before = textLength(thread)
      // Innermost first, so a reply's spam does not condemn the comment it answers.
      for (const comment of selectAll(rule.comment, thread).reverse())
        if (isSpam(comment, context.source)) remove(comment)
      const kept = outermost(selectAll(rule.comment, thread))
      const label = createElement('summary', {}, [new Text(`Reader comments (${kept.length})`)])
      if (kept.length === 0) remove(thread)
      else replaceWith(thread, [createElement('details', {}, [label, ...kept])])
      recordRemoval(context, rule.name, before - kept.reduce((n, comment) => n + textLength(comment), 0))
    }
  }
}
