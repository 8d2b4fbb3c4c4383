import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

// Every test file starts with the search index's tables (wrangler dev does not apply migrations; deploy does).
// Applies only what d1_migrations does not list yet, so running it per file is safe.
await applyD1Migrations(env.SEARCH, env.TEST_MIGRATIONS)
