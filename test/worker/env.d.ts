/// <reference types="@cloudflare/vitest-plugin/types" />
type WorkerBindings = import('../../src/worker/env.ts').Bindings

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../../src/worker/index.ts')
  }
  interface Env extends WorkerBindings {}
}
