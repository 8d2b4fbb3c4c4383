import type { Step } from '../step.ts'
import { elements } from '../tree.ts'

const HEADING = /^h([1-6])$/

/**
 * The body's headings continue the page's outline under its `<h1>` (the
 * title): the first becomes `<h2>`, each heading deeper than the one it
 * follows sits exactly one level below its parent, and siblings stay level
 * with each other — so no level is skipped (a source's `<h3>` straight after
 * our `<h1>`) and the body never claims a second `<h1>`. Order and nesting
 * are kept; nothing goes beyond `<h6>`.
 */
export const shiftHeadings: Step = (root) => {
  // Open sections: each heading's level in the source, and the level it is given.
  const open: { source: number; level: number }[] = []
  for (const heading of elements(root)) {
    const source = Number(HEADING.exec(heading.name)?.[1])
    if (!source) continue
    while (open.length > 0 && open[open.length - 1].source >= source) open.pop()
    const level = Math.min(6, open.length > 0 ? open[open.length - 1].level + 1 : 2)
    open.push({ source, level })
    heading.name = `h${level}`
  }
}
