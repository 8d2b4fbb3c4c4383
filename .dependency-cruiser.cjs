/**
 * The layering, checked by `npm test` (`npm run check:deps`):
 *
 *   src/builder, src/deploy, scripts  (Node: content → KV, deploy)
 *            \                 /
 *             └→ src/shared ←┘        (contracts: KV schema, HTML policy, cache tags, image URLs, config)
 *             ┌→ src/shared
 *   src/worker                         (the edge)
 *
 * The Node side and the edge never import each other; src/shared imports only
 * itself and nothing that needs Node; no module imports itself back in a cycle.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one; split what both need into a third.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'edge-does-not-import-node-side',
      severity: 'error',
      comment: 'The worker shares code with the build and deploy only through src/shared.',
      from: { path: '^src/worker/' },
      to: { path: '^(src/(builder|deploy)|scripts)/' },
    },
    {
      name: 'node-side-does-not-import-edge',
      severity: 'error',
      comment: 'Build and deploy use the contracts in src/shared, never the worker itself.',
      from: { path: '^(src/(builder|deploy)|scripts)/' },
      to: { path: '^src/worker/' },
    },
    {
      name: 'shared-imports-only-shared',
      severity: 'error',
      comment: 'The contracts depend on nothing else of the project.',
      from: { path: '^src/shared/' },
      to: { path: '^(src|scripts|bench|test)/', pathNot: '^src/shared/' },
    },
    {
      name: 'edge-and-shared-without-node',
      severity: 'error',
      comment: 'src/shared and src/worker run in workerd: Node built-ins are not there.',
      from: { path: '^src/(shared|worker)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'builder-does-not-import-deploy',
      severity: 'error',
      comment: 'Deploy runs the build; the build knows nothing of where its output goes.',
      from: { path: '^src/builder/' },
      to: { path: '^src/deploy/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(test/fixtures|content)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
}
