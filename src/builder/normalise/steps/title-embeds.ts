import { labelsFor, labelText } from '../labels.ts'
import type { Step } from '../step.ts'
import { type Element, elements } from '../tree.ts'

/** The players `embeds` keeps, by host, and where their URLs carry the video id. */
const PROVIDERS: { hosts: RegExp; name: string; id: RegExp }[] = [
  { hosts: /(^|\.)youtube(-nocookie)?\.com$/, name: 'YouTube', id: /^\/embed\/([\w-]{6,})/ },
  { hosts: /^player\.vimeo\.com$/, name: 'Vimeo', id: /^\/video\/(\d+)/ },
]

/** Titles that embed codes carry by default and that name no video. */
const GENERIC_TITLE = /^\s*(?:youtube|vimeo)?\s*(?:video)?\s*(?:player)?\s*$/i

/**
 * Every kept player gets a `title` (a frame's accessible name): "YouTube
 * 视频：<the source's title>", else the video id — what is known, in the
 * article's language.
 */
export const titleEmbeds: Step = (root) => {
  for (const frame of elements(root)) {
    if (frame.name === 'iframe' && frame.attribs.src) frame.attribs.title = frameTitle(frame, root)
  }
}

function frameTitle(frame: Element, root: Parameters<Step>[0]): string {
  const labels = labelsFor(root)
  // Kept frames have an absolute, allowlisted src (embeds, sanitise).
  const url = new URL(frame.attribs.src)
  const provider = PROVIDERS.find((p) => p.hosts.test(url.hostname))
  const label = labels.video(provider?.name ?? url.hostname)
  const title = frame.attribs.title?.replace(/\s+/g, ' ').trim()
  const detail = title && !GENERIC_TITLE.test(title) ? title : provider?.id.exec(url.pathname)?.[1]
  return detail ? labels.detail(label, labelText(detail)) : label
}
