import { defineConfig } from 'vitest/config'

/**
 * The browser suite: Debian's Chromium against wrangler dev serving the seed,
 * corpus posts and XSS payload posts, with a local image origin. One file at a
 * time: they share one worker, and the machine has two cores.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    // Tabs open at once in the XSS files (it.concurrent).
    maxConcurrency: 4,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
})
