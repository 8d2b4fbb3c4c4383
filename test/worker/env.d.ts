/// <reference types="@cloudflare/vitest-plugin/types" />
// `Cloudflare.Env` and the main module's type come from worker-configuration.d.ts (`npm run types`).
