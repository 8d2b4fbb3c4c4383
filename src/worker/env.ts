/**
 * The worker's Hono environment. `Env`, the bindings, vars and secrets, is generated from
 * wrangler.toml and .dev.vars.example by `npm run types` (worker-configuration.d.ts).
 */
export type AppEnv = { Bindings: Env }
