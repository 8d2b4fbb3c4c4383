/**
 * `npm run deploy -- [--local [--persist-to DIR]] [--dry-run] [--json] [--reconcile] [--skip-code]
 *                    [--no-archive] [--prune-images]
 *                    [--content DIR] [--out DIR] [--skip-invalid] [--config FILE]`
 * Builds, then uploads only what changed since the last deploy, in an order
 * that never shows a link to a missing post. See docs/deploying.md.
 */
import { enableCompileCache } from 'node:module'
import { parseArgs } from 'node:util'

// The modules below are imported once this is on: V8 keeps their compiled code in a cache folder
// (NODE_COMPILE_CACHE, else the temporary folder), about a sixth of the CPU of loading them (Miniflare
// alone is 6 MB of JavaScript). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
enableCompileCache()

const usage = `usage: npm run deploy -- [options]
  --local            write to the local state npm start serves (no wrangler deploy)
  --persist-to DIR   local state folder (default .wrangler/state)
  --dry-run          print the plan, touch nothing
  --json             print the plan as JSON on stdout (everything else goes to stderr)
  --reconcile        compare with the keys actually in KV, not only the recorded state
  --skip-code        do not run wrangler deploy, even if the worker changed
  --no-archive       capture no images this time (they wait for the next deploy)
  --prune-images     remove archived images no post shows (with --dry-run: list them)
  --content DIR      posts folder (default $CONTENT_DIR or content)
  --out DIR          build output folder (default dist)
  --skip-invalid     publish the valid posts when some are invalid
  --config FILE      wrangler configuration (default wrangler.toml)`

const { values } = parseArgs({
  options: {
    local: { type: 'boolean', default: false },
    'persist-to': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    reconcile: { type: 'boolean', default: false },
    'skip-code': { type: 'boolean', default: false },
    'no-archive': { type: 'boolean', default: false },
    'prune-images': { type: 'boolean', default: false },
    content: { type: 'string', default: process.env.CONTENT_DIR || 'content' },
    out: { type: 'string', default: 'dist' },
    'skip-invalid': { type: 'boolean', default: false },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(usage)
  process.exit(0)
}
if (values['persist-to'] && !values.local) {
  console.error('error: --persist-to applies to --local only')
  process.exit(2)
}
// Before the build, so a refused deploy costs nothing.
if (!values.local) {
  const { checkSiteUrl } = await import('./site-url.ts')
  if (!(await checkSiteUrl(values.config ?? 'wrangler.toml', values['dry-run']))) process.exit(1)
}
// With --json, stdout carries the plan alone; the build's report goes to stderr.
if (values.json) console.log = console.error

// workerd is spawned before the build's modules load (most of a second, with no turn of the event
// loop for Miniflare to go on), and starts up meanwhile.
const localState = values.local
  ? new (await import('./local-state.ts')).LocalState({ persistTo: values['persist-to'], config: values.config })
  : undefined
await localState?.spawned
const { runDeploy } = await import('./run-deploy.ts')
const deployed = await runDeploy({
  localState,
  content: values.content,
  out: values.out,
  skipInvalid: values['skip-invalid'],
  local: values.local,
  config: values.config,
  dryRun: values['dry-run'],
  json: values.json,
  reconcile: values.reconcile,
  skipCode: values['skip-code'],
  archive: !values['no-archive'],
  pruneImages: values['prune-images'],
})
process.exit(deployed ? 0 : 1)
