/**
 * `npm run build -- [--content DIR] [--out DIR] [--skip-invalid] [--max-removed PERCENT] [--strict]`
 * Validates every post, then writes KV bulk files, manifest.json and
 * removed.json — or, when any post is invalid (and --skip-invalid is not
 * given), writes nothing. Posts where rules removed more than --max-removed
 * percent of the text (default 20) are warnings, errors with --strict.
 */
import { enableCompileCache } from 'node:module'
import { parseArgs } from 'node:util'
import { DEFAULT_MAX_REMOVED_SHARE } from './removal-report.ts'

// Before the build's modules load (imported below): see src/deploy/cli.ts.
enableCompileCache()

const usage = 'usage: npm run build -- [--content DIR] [--out DIR] [--skip-invalid] [--max-removed PERCENT] [--strict]'

const { values } = parseArgs({
  options: {
    content: { type: 'string', default: process.env.CONTENT_DIR || 'content' },
    out: { type: 'string', default: 'dist' },
    'skip-invalid': { type: 'boolean', default: false },
    'max-removed': { type: 'string', default: String(DEFAULT_MAX_REMOVED_SHARE * 100) },
    strict: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(usage)
  process.exit(0)
}
const percent = Number(values['max-removed'])
if (!(percent >= 0 && percent <= 100)) {
  console.error(`error: --max-removed takes a percentage from 0 to 100, not ${values['max-removed']}\n${usage}`)
  process.exit(2)
}

const { runBuild } = await import('./run-build.ts')
const result = await runBuild({
  content: values.content,
  out: values.out,
  skipInvalid: values['skip-invalid'],
  maxRemovedShare: percent / 100,
  strict: values.strict,
})
process.exit(result ? 0 : 1)
