import type { Step } from '../step.ts'
import { elements } from '../tree.ts'

/**
 * Ids only matter as targets of the article's own `#fragment` links (footnotes);
 * the CMS's other ids go, which also lets bare wrappers be unwrapped.
 */
export const dropUnusedIds: Step = (root) => {
  const all = elements(root)
  const targets = new Set<string>()
  for (const element of all) {
    const href = element.attribs.href
    if (href?.startsWith('#')) targets.add(href.slice(1))
  }
  for (const element of all) {
    if ('id' in element.attribs && !targets.has(element.attribs.id)) delete element.attribs.id
  }
}
