import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalState } from '../../src/deploy/local-state.ts'
import { MiniflareStore } from '../../src/deploy/miniflare-store.ts'

describe('the local state, read and written through the writer worker', { timeout: 120_000 }, () => {
  it('gets, lists past one page and deletes what Miniflare’s own binding then sees', async () => {
    const persistTo = mkdtempSync(join(tmpdir(), 'local-state-'))
    const state = new LocalState({ persistTo })
    try {
      await state.spawned
      const store = new MiniflareStore(state)
      expect(await store.get('missing')).toBeNull()

      // More keys than one KV list page (1,000) and one writer batch; values with non-ASCII text.
      const entries = Array.from({ length: 1500 }, (_, i) => ({ key: `post:${i}`, value: `{"title":"标题 ${i}"}` }))
      await store.put(entries)
      expect(await store.get('post:1499')).toBe('{"title":"标题 1499"}')
      expect((await store.listKeys()).sort()).toEqual(entries.map((e) => e.key).sort())

      await store.delete(['post:0', 'post:1'])
      const kv = await state.kv('POSTS')
      expect(await kv.get('post:0')).toBeNull()
      expect(await kv.get('post:2')).toBe('{"title":"标题 2"}')
      expect((await store.listKeys()).length).toBe(1498)
    } finally {
      await state.dispose()
    }
  })
})
