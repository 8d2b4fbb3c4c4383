import { labelsFor, labelText } from '../labels.ts'
import type { Step } from '../step.ts'
import { closest, createElement, elements, isTag, replaceWith, setChildren, textOf } from '../tree.ts'

/**
 * A table keeps its table layout (and its table semantics) and scrolls
 * sideways inside a box when it is wider than the column: that box is a
 * labelled region in the tab order, so a keyboard can scroll it too (WCAG
 * 2.1.1; axe's scrollable-region-focusable). The label is the table's
 * caption, else "表格"/"Table". The layout styles `div[role=region]`.
 */
export const tableRegions: Step = (root) => {
  for (const table of elements(root)) {
    // A table inside another scrolls with the outer one.
    if (table.name !== 'table' || closest(table, (e) => e.name === 'table')) continue
    const caption = table.children.find((c) => isTag(c) && c.name === 'caption')
    const label = (caption && labelText(textOf(caption).replace(/\s+/g, ' ').trim())) || labelsFor(root).table
    const region = createElement('div', { role: 'region', 'aria-label': label, tabindex: '0' })
    replaceWith(table, [region])
    setChildren(region, [table])
  }
}
