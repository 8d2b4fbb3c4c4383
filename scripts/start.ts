/**
 * `npm start`: build the content, deploy it into the local KV state (only what
 * changed since the last start: `npm run deploy -- --local`), serve it with
 * wrangler dev at http://127.0.0.1:$PORT (8787).
 *   CONTENT_DIR  folder of posts (default content/)
 *   PORT         port to listen on (default 8787)
 */
import { runBuild } from '../src/builder/run-build.ts'
import { runDeploy } from '../src/deploy/run-deploy.ts'
import { wrangler } from '../src/deploy/wrangler-bin.ts'
import { ensureDevVars } from './dev-vars.ts'

const content = process.env.CONTENT_DIR || 'content'
const port = process.env.PORT || '8787'

ensureDevVars()
const result = await runBuild({ content, out: 'dist', skipInvalid: false })
if (!result) process.exit(1)

// Local KV ends up holding exactly this build: the deploy also deletes what an earlier CONTENT_DIR left.
if (!(await runDeploy(result.site.entries, { local: true }))) process.exit(1)

await wrangler(['dev', '--ip', '127.0.0.1', '--port', port])
