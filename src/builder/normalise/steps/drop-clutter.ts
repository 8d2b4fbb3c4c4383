import { compile, selectAll } from 'css-select'
import type { Element } from 'domhandler'
import { clutterSelectors } from '../site-rules.ts'
import type { Step } from '../step.ts'
import { remove } from '../tree.ts'

const compiled = new Map<string, ReturnType<typeof compile<Element, Element>>>()

/** The compiled clutter query for a source host (compiled once per host). */
function clutterQuery(host: string | undefined) {
  const key = host ?? ''
  let query = compiled.get(key)
  if (!query) {
    query = compile<Element, Element>(clutterSelectors(host).join(', '))
    compiled.set(key, query)
  }
  return query
}

/** Removes ad slots, paywall placeholders, share bars, related blocks… (rules in site-rules.ts). */
export const dropClutter: Step = (root, { source }) => {
  for (const element of selectAll(clutterQuery(source?.hostname), root.children)) remove(element)
}
