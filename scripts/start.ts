/**
 * `npm start`: build the content, load it into the local KV state, serve it
 * with wrangler dev at http://127.0.0.1:$PORT (8787).
 *   CONTENT_DIR  folder of posts (default content/)
 *   PORT         port to listen on (default 8787)
 */
import { rm } from 'node:fs/promises'
import { runBuild } from '../src/build/run.ts'
import { ensureDevVars } from './dev-vars.ts'
import { wrangler } from './wrangler.ts'

const content = process.env.CONTENT_DIR || 'content'
const port = process.env.PORT || '8787'

ensureDevVars()
const result = await runBuild({ content, out: 'dist', skipInvalid: false })
if (!result) process.exit(1)

// Local KV holds exactly this build: drop what an earlier CONTENT_DIR left.
await rm('.wrangler/state/v3/kv', { recursive: true, force: true })
for (const file of result.files) await wrangler(['kv', 'bulk', 'put', file, '--binding', 'POSTS', '--local'])

await wrangler(['dev', '--ip', '127.0.0.1', '--port', port])
