import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// Miniflare would otherwise fetch Request.cf data from Cloudflare; tests stay on this machine.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
process.env.WRANGLER_SEND_METRICS = 'false'

/** Tests that run inside workerd, against real KV through Miniflare. */
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: { bindings: { IMAGE_PROXY_KEY: 'test-image-proxy-key' } },
    }),
  ],
  test: {
    include: ['test/worker/**/*.test.{ts,tsx}'],
    globalSetup: ['test/worker/global-setup.ts'],
    testTimeout: 30_000,
  },
})
