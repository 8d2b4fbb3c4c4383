import { defineConfig } from 'vitest/config'

/** Tests of the Node side (build, render as a pure function) in Node. */
export default defineConfig({
  test: {
    include: ['test/node/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
})
