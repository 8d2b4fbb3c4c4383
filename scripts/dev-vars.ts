import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

/**
 * The local secrets `npm start` needs: the image-proxy key, the token it captures images with, and
 * the one it purges the site's render cache with after each publish.
 */
const GENERATED = ['IMAGE_PROXY_KEY', 'IMAGE_ARCHIVE_TOKEN', 'CACHE_PURGE_TOKEN']

/**
 * Local secrets live in .dev.vars (git-ignored), which wrangler dev reads.
 * Each start adds a random value for any of them that is missing.
 */
export function ensureDevVars(path = '.dev.vars'): void {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const missing = GENERATED.filter((name) => !new RegExp(`^${name}\\s*=`, 'm').test(text))
  if (missing.length === 0) return
  for (const name of missing) {
    const line = `${name}="${randomBytes(32).toString('base64url')}"\n`
    text = text && !text.endsWith('\n') ? `${text}\n${line}` : text + line
  }
  writeFileSync(path, text, { mode: 0o600 })
  const names = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : missing[0]
  console.log(`added a random ${names} to ${path}`)
}
