import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// Miniflare would otherwise fetch Request.cf data from Cloudflare; tests stay on this machine.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
process.env.WRANGLER_SEND_METRICS = 'false'

// The search index's migrations, read here (Node) and applied by test/worker/apply-migrations.ts.
const migrations = await readD1Migrations('./migrations')

/** Tests that run inside workerd, against real KV and D1 through Miniflare. */
export default defineConfig({
  plugins: [
    // A function, so bindings can name servers the global setups started.
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          IMAGE_PROXY_KEY: 'test-image-proxy-key',
          // The archive's endpoints exist only with their token.
          IMAGE_ARCHIVE_TOKEN: 'test-image-archive-token',
          // The test image origin is on 127.0.0.1, which the proxy refuses unless allow-listed.
          IMAGE_PROXY_ALLOW_HOSTS: new URL(inject('imageOrigin')).host,
          // Route tests change KV between requests without the purge a deploy makes; the cache tests turn it on.
          RENDER_CACHE: 'off',
          TEST_MIGRATIONS: migrations,
        },
      },
    })),
  ],
  test: {
    include: ['test/worker/**/*.test.{ts,tsx}'],
    globalSetup: ['test/worker/global-setup.ts', 'test/support/image-origin.ts'],
    setupFiles: ['test/worker/apply-migrations.ts'],
    testTimeout: 90_000,
    // beforeAll hooks load the whole test site into KV: seconds on a busy machine.
    hookTimeout: 120_000,
  },
})
