import { BLOCK_ELEMENTS } from '../blocks.ts'
import type { Step } from '../step.ts'
import { isWide } from '../text.ts'
import { isTag, isText, type ParentNode, remove, type Text } from '../tree.ts'

/** Containers whose content is laid out as its own run of lines. */
const CONTAINERS = new Set([...BLOCK_ELEMENTS, 'td', 'th', 'caption', 'pre'])
/** Inline elements that show something where they stand (white space around them counts). */
const ATOMS = new Set(['img', 'iframe', 'video', 'audio', 'picture', 'wbr'])
const OBJECT = '\uFFFC'

/**
 * Source indentation goes, the way CSS would hide it anyway: within each run
 * of inline content a run of white space becomes one space (or one newline),
 * white space at the start and end of a line box (block edges, `<br>`) is
 * dropped, and so is a line break between two CJK characters (CSS Text's
 * segment-break rule, which not every browser applies). `<pre>` is untouched.
 */
export const collapseWhitespace: Step = (root) => {
  for (const segment of segments(root)) collapseSegment(segment)
}

type Item = Text | typeof OBJECT

/** The inline runs under `root`, each cut at block boundaries and line breaks. */
function segments(root: ParentNode): Item[][] {
  const out: Item[][] = []
  let current: Item[] = []
  const cut = () => {
    if (current.length > 0) out.push(current)
    current = []
  }
  const visit = (node: ParentNode) => {
    for (const child of node.children) {
      if (isText(child)) current.push(child)
      else if (!isTag(child)) continue
      else if (CONTAINERS.has(child.name)) {
        cut()
        if (child.name !== 'pre') visit(child)
        cut()
      } else if (child.name === 'br') cut()
      else if (ATOMS.has(child.name)) current.push(OBJECT)
      else visit(child)
    }
  }
  visit(root)
  cut()
  return out
}

function collapseSegment(segment: Item[]): void {
  if (!segment.some((item) => item !== OBJECT)) return
  const flow = segment.map((item) => (item === OBJECT ? OBJECT : item.data)).join('')
  const edits = whitespaceEdits(flow)
  if (edits.length === 0) return
  // Apply the edits (flow offsets) to the text nodes they fall in; an edit's
  // replacement goes where it starts, the rest of its run is dropped.
  let e = 0
  let offset = 0
  for (const item of segment) {
    if (item === OBJECT) {
      offset += 1
      continue
    }
    const start = offset
    const end = offset + item.data.length
    offset = end
    let data = ''
    let pos = start
    while (e < edits.length && edits[e].start < end) {
      const edit = edits[e]
      if (edit.start >= pos) data += flow.slice(pos, edit.start) + edit.keep
      pos = Math.min(edit.end, end)
      if (edit.end > end) break
      e++
    }
    item.data = data + flow.slice(pos, end)
    if (item.data === '') remove(item)
  }
}

/** The white-space runs of a flow that render differently from how they are written. */
function whitespaceEdits(flow: string): { start: number; end: number; keep: string }[] {
  const edits: { start: number; end: number; keep: string }[] = []
  for (const run of flow.matchAll(/[ \t\n\r\f]+/g)) {
    const start = run.index
    const end = start + run[0].length
    const before = flow[start - 1]
    const after = flow[end]
    let keep: string
    if (before === undefined || after === undefined) keep = ''
    else if (run[0].includes('\n')) keep = isWide(before) && isWide(after) ? '' : '\n'
    else keep = ' '
    if (keep !== run[0]) edits.push({ start, end, keep })
  }
  return edits
}
