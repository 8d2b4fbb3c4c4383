/**
 * The whole shared corpus (../shared, 271 posts) served from KV in workerd,
 * when it is beside the repo; a clone elsewhere has the fixtures only, which
 * the other tests serve.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { loadCorpus } from './load-site.ts'
import { checkServedPosts } from './served-posts.ts'

const corpus = inject('corpusManifest')
if (!corpus)
  console.log('skipped: the whole shared corpus in workerd (no ../shared/corpus beside the repo; SHARED_DIR)')

describe.skipIf(!corpus)('every post of the shared corpus, served', () => {
  beforeAll(loadCorpus, 120_000)

  it('is a 200 page with its title, safe as a browser parses it, every image a signed URL the proxy accepts', async () => {
    const { failures, images, hosts } = await checkServedPosts(corpus!)
    expect(failures).toEqual([])
    expect(corpus!.length).toBeGreaterThanOrEqual(272)
    // The seed and corpus carry some 2,400 image URLs on 15 hosts; every one got through.
    expect(images).toBeGreaterThan(500)
    expect(hosts.size).toBeGreaterThan(10)
  }, 300_000)
})
