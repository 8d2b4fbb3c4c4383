import { compile, selectAll } from 'css-select'
import type { Element } from 'domhandler'
import { recordRemoval, textLength } from '../removals.ts'
import { rulesFor } from '../site-rules.ts'
import type { Step } from '../step.ts'
import { outermost, remove } from '../tree.ts'

type Query = ReturnType<typeof compile<Element, Element>>

const compiled = new Map<string, { all: Query; rules: { name: string; query: Query }[] }>()

/** A host's rules compiled once: all of them as one query (one pass over the body), and each to name a match. */
function queries(host: string | undefined) {
  const key = host ?? ''
  let found = compiled.get(key)
  if (!found) {
    const rules = rulesFor(host).clutter
    found = {
      all: compile<Element, Element>(rules.map((rule) => rule.selector).join(', ')),
      rules: rules.map((rule) => ({ name: rule.name, query: compile<Element, Element>(rule.selector) })),
    }
    compiled.set(key, found)
  }
  return found
}

/**
 * Removes ad slots, paywall placeholders, share bars, related blocks… (rules in
 * site-rules.ts). What each removed element held is counted under the first
 * rule that matches it.
 */
export const dropClutter: Step = (root, context) => {
  const { all, rules } = queries(context.source?.hostname)
  for (const element of outermost(selectAll(all, root.children))) {
    const rule = rules.find(({ query }) => query(element))
    if (rule) recordRemoval(context, rule.name, textLength(element))
    remove(element)
  }
}
