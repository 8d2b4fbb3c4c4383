/**
 * `npm run build -- [--content DIR] [--out DIR] [--skip-invalid]`
 * Validates every post, then writes KV bulk files and manifest.json — or, when
 * any post is invalid (and --skip-invalid is not given), writes nothing.
 */
import { parseArgs } from 'node:util'
import { runBuild } from './run-build.ts'

const { values } = parseArgs({
  options: {
    content: { type: 'string', default: process.env.CONTENT_DIR || 'content' },
    out: { type: 'string', default: 'dist' },
    'skip-invalid': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log('usage: npm run build -- [--content DIR] [--out DIR] [--skip-invalid]')
  process.exit(0)
}

const result = await runBuild({ content: values.content, out: values.out, skipInvalid: values['skip-invalid'] })
process.exit(result ? 0 : 1)
