/// <reference types="@cloudflare/vitest-plugin/types" />
// `Cloudflare.Env` and the main module's type come from worker-configuration.d.ts (`npm run types`).

declare namespace Cloudflare {
  interface Env {
    /** The search index's migrations (vitest.workers.config.ts), applied by apply-migrations.ts. */
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
  }
}
