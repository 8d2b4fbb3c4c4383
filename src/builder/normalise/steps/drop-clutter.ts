import { compile, selectAll } from 'css-select'
import type { Element } from 'domhandler'
import { recordRemoval, textLength } from '../removals.ts'
import { rulesFor } from '../site-rules.ts'
import type { Step } from '../step.ts'
import { outermost, remove } from '../tree.ts'

const compiled = new Map<string, ReturnType<typeof compile<Element, Element>>>()

/** A rule's compiled selector (compiled once per selector). */
function query(selector: string) {
  let found = compiled.get(selector)
  if (!found) {
    found = compile<Element, Element>(selector)
    compiled.set(selector, found)
  }
  return found
}

/**
 * Removes ad slots, paywall placeholders, share bars, related blocks… (rules in
 * site-rules.ts), one rule at a time, so what each removes is counted under its name.
 */
export const dropClutter: Step = (root, context) => {
  for (const rule of rulesFor(context.source?.hostname).clutter) {
    for (const element of outermost(selectAll(query(rule.selector), root.children))) {
      recordRemoval(context, rule.name, textLength(element))
      remove(element)
    }
  }
}
