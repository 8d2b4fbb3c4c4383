import { chunkHolding, itemsInRange, type Listing, listingId, pageCount, pageRange } from '../../shared/listings.ts'
import {
  isListingChunk,
  isListingHead,
  keys,
  type ListingChunk,
  type ListingHead,
  type PostSummary,
} from '../../shared/schema.ts'
import { type KvReader, readJson } from '../kv.ts'

export interface ListingPageData {
  head: ListingHead
  page: number
  pages: number
  /** Newest first. */
  posts: PostSummary[]
}

export type ListingPageRead =
  | { ok: true; value: ListingPageData }
  /** No such listing (`listing`) or no such page of it (`page`). */
  | { ok: false; missing: 'listing' | 'page' }
  | { ok: false; missing: false; reason: string }

/**
 * Page `page` (from 1, newest first) of a listing in at most two KV reads:
 * the head, and the one full chunk that holds the page when the head does not.
 */
export async function readListingPage(kv: KvReader, listing: Listing, page: number): Promise<ListingPageRead> {
  const id = listingId(listing)
  const head = await readJson(kv, keys.listingHead(id), isListingHead)
  if (!head.ok) return head.missing ? { ok: false, missing: 'listing' } : head
  const range = pageRange(head.value.count, head.value.overlap, page)
  if (!range) return { ok: false, missing: 'page' }

  const index = chunkHolding(head.value, range.start)
  let chunk: ListingChunk | undefined
  if (index !== null) {
    const read = await readJson(kv, keys.listingChunk(id, index), isListingChunk)
    if (!read.ok)
      return {
        ok: false,
        missing: false,
        reason: read.missing ? `${keys.listingChunk(id, index)} is missing` : read.reason,
      }
    chunk = read.value
  }
  const items = itemsInRange(head.value, range, chunk)
  if (!items)
    return {
      ok: false,
      missing: false,
      reason: `${keys.listingHead(id)} and chunk ${index} disagree (a deploy in progress?)`,
    }
  return {
    ok: true,
    value: { head: head.value, page, pages: pageCount(head.value.count, head.value.overlap), posts: items.reverse() },
  }
}
