import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

/**
 * Local secrets live in .dev.vars (git-ignored), which wrangler dev reads.
 * The first start creates it with a random image-proxy key.
 */
export function ensureDevVars(path = '.dev.vars'): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : ''
  if (/^IMAGE_PROXY_KEY\s*=/m.test(text)) return
  const line = `IMAGE_PROXY_KEY="${randomBytes(32).toString('base64url')}"\n`
  writeFileSync(path, text && !text.endsWith('\n') ? `${text}\n${line}` : text + line, { mode: 0o600 })
  console.log(`created ${path} with a random IMAGE_PROXY_KEY`)
}
