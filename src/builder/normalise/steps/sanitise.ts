import {
  ALLOWED_ELEMENTS,
  attributeAllowed,
  BUILD_ATTRIBUTES,
  cleanAttribute,
  DROPPED_ELEMENTS,
} from '../../../shared/html-policy.ts'
import { recordRemoval, textLength } from '../removals.ts'
import { SANITISE_RULE } from '../site-rules.ts'
import type { Step } from '../step.ts'
import { type Element, isTag, type ParentNode, remove, unwrap } from '../tree.ts'

/**
 * The allowlist (shared/html-policy.ts) applied to the spec-parsed tree:
 * active and document-level elements go with their content, unknown elements
 * are replaced by their content, and only listed attributes with safe values
 * stay — no `on*`, no `style`, no `javascript:`/`vbscript:`/`data:` links,
 * and none of the accessibility attributes only the build itself writes.
 */
export const sanitise: Step = (root, context) => {
  const visit = (node: ParentNode) => {
    for (const child of [...node.children]) {
      if (!isTag(child)) continue
      if (DROPPED_ELEMENTS.has(child.name)) {
        recordRemoval(context, SANITISE_RULE.name, textLength(child))
        remove(child)
        continue
      }
      visit(child)
      const fate = child.name in ALLOWED_ELEMENTS ? cleanAttributes(child) : 'unwrap'
      if (fate === 'drop') remove(child)
      else if (fate === 'unwrap') unwrap(child)
    }
  }
  visit(root)
}

/** Filters the attributes, and says what becomes of an element left pointless without them. */
function cleanAttributes(element: Element): 'keep' | 'unwrap' | 'drop' {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(element.attribs)) {
    if (!attributeAllowed(element.name, name) || BUILD_ATTRIBUTES.has(name)) continue
    const clean = cleanAttribute(element.name, name, value)
    if (clean !== null) kept[name] = clean
  }
  element.attribs = kept
  switch (element.name) {
    case 'a':
      return 'href' in kept ? 'keep' : 'unwrap'
    case 'img':
      return 'src' in kept || 'srcset' in kept ? 'keep' : 'drop'
    case 'iframe':
      return 'src' in kept ? 'keep' : 'drop'
    default:
      return 'keep'
  }
}
