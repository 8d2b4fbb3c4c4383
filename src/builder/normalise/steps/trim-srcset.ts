import { parseSrcset, serialiseSrcset } from '../../../shared/html-policy.ts'
import type { Step } from '../step.ts'
import { elements } from '../tree.ts'

/** Candidates kept per srcset: each costs a signed proxy URL on every request. */
export const MAX_CANDIDATES = 3

/**
 * Long srcsets (WordPress lists every size it made, often six) keep the
 * smallest, the largest and one between: enough for the browser to choose
 * well, at half the signing work at the edge.
 */
export const trimSrcset: Step = (root) => {
  for (const element of elements(root)) {
    const srcset = element.attribs.srcset
    if (!srcset) continue
    const candidates = parseSrcset(srcset)
    if (candidates.length <= MAX_CANDIDATES) continue
    const sized = candidates
      .map((c) => ({ ...c, size: Number.parseFloat(c.descriptor) || 1 }))
      .sort((a, b) => a.size - b.size)
    const kept = [sized[0], sized[Math.floor(sized.length / 2)], sized[sized.length - 1]]
    element.attribs.srcset = serialiseSrcset(kept.map(({ url, descriptor }) => ({ url, descriptor })))
  }
}
