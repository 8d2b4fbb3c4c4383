/**
 * `npm start`: build the content and deploy it into the local state, in this
 * process (only what changed since the last start: `npm run deploy -- --local`),
 * then serve it with wrangler dev at http://127.0.0.1:$PORT (8787). While it
 * serves, it holds the state folder's lock, so a deploy into the same folder
 * says to stop it first instead of failing halfway on SQLite locks. Post
 * images not archived yet are captured into the local bucket once the site
 * answers, through it; startup never waits for them.
 *   CONTENT_DIR  folder of posts (default content/)
 *   PORT         port to listen on (default 8787)
 */
import { spawn } from 'node:child_process'
import { captureLocally } from '../src/deploy/image-archive/local-worker.ts'
import type { ArchiveRecord } from '../src/deploy/image-archive/record.ts'
import { DEFAULT_PERSIST_TO } from '../src/deploy/local-state.ts'
import { runDeploy } from '../src/deploy/run-deploy.ts'
import { StateLock } from '../src/deploy/state-lock.ts'
import { DeployError } from '../src/deploy/store.ts'
import { wranglerBin, wranglerEnv } from '../src/deploy/wrangler-bin.ts'
import { ensureDevVars } from './dev-vars.ts'

const content = process.env.CONTENT_DIR || 'content'
const port = process.env.PORT || '8787'

ensureDevVars()
// Local KV ends up holding exactly this build: the deploy also deletes what an earlier CONTENT_DIR left.
let images: ArchiveRecord | undefined
const captureLater = (record: ArchiveRecord) => {
  images = record
}
if (!(await runDeploy({ content, out: 'dist', skipInvalid: false, local: true, captureLater }))) process.exit(1)

let lock: StateLock
try {
  lock = StateLock.take(DEFAULT_PERSIST_TO, { role: 'serve', url: `http://127.0.0.1:${port}` })
} catch (err) {
  if (!(err instanceof DeployError)) throw err
  console.error(`error: ${err.message}`)
  process.exit(1)
}

const dev = spawn(process.execPath, [wranglerBin, 'dev', '--ip', '127.0.0.1', '--port', port], {
  stdio: 'inherit',
  env: wranglerEnv,
})
if (images) void captureLocally(`http://127.0.0.1:${port}`, images)
// Ctrl-C reaches wrangler too (same process group); a signal to this process alone is passed on.
// Either way the lock goes when wrangler has stopped.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => dev.kill('SIGTERM'))
dev.on('exit', (code, signal) => {
  lock.release()
  process.exit(code ?? (signal ? 1 : 0))
})
