/**
 * `npm start`: deploy the content into the local state (only what changed
 * since the last start: `npm run deploy -- --local`), serve it at
 * http://127.0.0.1:$PORT with the worker as wrangler bundles it for deploy,
 * then go on publishing: a post saved into the content folder is live a moment
 * later. One process and one workerd hold the state — the writer and the site
 * — and the state folder's lock says so to a deploy that would write beside
 * it. Post images not archived yet are captured into the local bucket through
 * the site once it answers; publishing never waits for them.
 *   CONTENT_DIR  folder of posts (default content/)
 *   PORT         port to listen on (default 8787)
 *   PERSIST_TO   local state folder (default .wrangler/state, the one wrangler dev reads)
 * `npm start -- --no-archive` captures no images (they wait for a later start or deploy).
 */
import { parseArgs } from 'node:util'
import { captureLocally, devVar } from '../src/deploy/image-archive/local-worker.ts'
import type { ArchiveRecord } from '../src/deploy/image-archive/record.ts'
import { localApp } from '../src/deploy/local-app.ts'
import { LocalPublisher } from '../src/deploy/local-publisher.ts'
import { DEFAULT_PERSIST_TO, LocalState } from '../src/deploy/local-state.ts'
import { purgeThroughWorker } from '../src/deploy/purge-cache.ts'
import { StateLock } from '../src/deploy/state-lock.ts'
import { DeployError } from '../src/deploy/store.ts'
import { ensureDevVars } from './dev-vars.ts'

const content = process.env.CONTENT_DIR || 'content'
const port = Number(process.env.PORT || '8787')
const persistTo = process.env.PERSIST_TO || DEFAULT_PERSIST_TO
const site = `http://127.0.0.1:${port}`
const { values } = parseArgs({ options: { 'no-archive': { type: 'boolean', default: false } } })

ensureDevVars()
// Bundling (a wrangler run of a few seconds) goes on while the first publish builds.
const app = localApp()
app.catch(() => {})

let lock: StateLock
try {
  lock = StateLock.take(persistTo, { role: 'serve', url: site })
} catch (err) {
  if (!(err instanceof DeployError)) throw err
  console.error(`error: ${err.message}`)
  process.exit(1)
}
// However the process ends: Miniflare's own exit hook ends it on Ctrl-C before any async handler here.
process.on('exit', () => lock.release())
const state = new LocalState({ persistTo })
const stop = async (code: number) => {
  await state.dispose().catch(() => {})
  process.exit(code)
}

// One capture at a time, each waiting for the site to answer; a publish only queues one.
let capturing = Promise.resolve()
const captureImages = (record: ArchiveRecord) => {
  capturing = capturing.then(() => captureLocally(site, record))
}
const publisher = new LocalPublisher(state, {
  content,
  out: 'dist',
  onImages: values['no-archive'] ? undefined : captureImages,
})
if (!(await publisher.publish())) await stop(1)

try {
  await state.serve(await app, { host: '127.0.0.1', port })
} catch (err) {
  console.error(`error: the site could not be served: ${(err as Error).message}`)
  await stop(1)
}
const purgeToken = devVar('CACHE_PURGE_TOKEN')
if (purgeToken) publisher.purgeThrough(purgeThroughWorker(site, purgeToken))
console.log(`serving ${site} — posts saved into ${content} are published as they arrive (Ctrl-C stops)`)
const unwatch = publisher.watch((ok, seconds) =>
  console.log(
    ok
      ? `published in ${seconds.toFixed(1)} s`
      : 'not published: the site is as it was; fix the post and save it again',
  ),
)
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    unwatch()
    void stop(0)
  })
