import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { writeE2eContent } from './harness/content.ts'
import { startE2eImageOrigin } from './harness/image-origin.ts'
import { startLocalWorker } from './harness/worker.ts'
import type { E2eSite } from './site.ts'

/** This suite's ports: beside `npm start` (8787) and the other engineers' servers. */
const PORT = Number(process.env.E2E_PORT ?? 8805)
const INSPECTOR_PORT = Number(process.env.E2E_INSPECTOR_PORT ?? 9305)

/**
 * Starts the image origin, writes and builds the e2e site, and serves it with
 * wrangler dev for every test file; stops it all afterwards.
 */
export default async function setup(project: TestProject) {
  const work = mkdtempSync(join(tmpdir(), 'e2e-'))
  const origin = await startE2eImageOrigin()
  let stopWorker = async () => {}
  const stopAll = async () => {
    await stopWorker()
    await origin.close()
    rmSync(work, { recursive: true, force: true })
  }
  try {
    const posts = writeE2eContent(join(work, 'content'), origin.url)
    const started = performance.now()
    const worker = await startLocalWorker({
      content: join(work, 'content'),
      work,
      port: PORT,
      inspectorPort: INSPECTOR_PORT,
      // The origin is loopback (refused unless allowed) and wants its own origin as Referer.
      vars: { IMAGE_PROXY_ALLOW_HOSTS: origin.host, IMAGE_PROXY_REFERERS: '127.0.0.1=origin' },
    })
    stopWorker = worker.stop
    console.log(
      `e2e: ${worker.posts.length} posts built, loaded and served at ${worker.url} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )

    const byFile = new Map(worker.posts.map((stored) => [stored.file.split('/').pop()!, stored]))
    const site: E2eSite = {
      url: worker.url,
      originUrl: origin.url,
      posts: posts.map((post) => {
        const stored = byFile.get(post.file)
        if (!stored) throw new Error(`${post.file} was written but not built`)
        return {
          ...post,
          url: stored.url,
          title: stored.title,
          slug: stored.slug,
          tags: stored.tags,
          categories: stored.categories,
        }
      }),
      tags: [...new Set(worker.posts.flatMap((post) => post.tags))],
    }
    project.provide('e2eSite', site)
  } catch (err) {
    await stopAll()
    throw err
  }
  return stopAll
}
