/// <reference types="@cloudflare/vitest-plugin/types/cloudflare-test" />
declare namespace Cloudflare {
  interface Env extends import('../../src/worker/env.ts').Bindings {}
}
