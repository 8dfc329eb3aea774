/**
 * Architecture rules checked by `pnpm lint` (STYLE.md §6): packages are used only through their root,
 * libraries never depend on services, services never depend on each other.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'packages-only-from-their-root',
      comment: 'Import @casebook/x from its root (src/index.ts), never a file inside it.',
      severity: 'error',
      from: { path: '^((packages|services)/[^/]+|test|bench|load-tests)/' },
      to: {
        path: '^(packages|services)/[^/]+/',
        pathNot: ['^$1/', '^(packages|services)/[^/]+/src/index\\.ts$'],
      },
    },
    {
      name: 'workspaces-through-tsconfig-paths',
      comment: '@casebook/x resolves to its src/index.ts; a path past the package name lands here.',
      severity: 'error',
      from: {},
      to: { path: '(^|/)node_modules/@casebook/' },
    },
    {
      name: 'no-relative-imports-across-workspaces',
      comment: 'A workspace reaches another only through its package name.',
      severity: 'error',
      from: { path: '^((packages|services)/[^/]+)/' },
      to: { path: '^(packages|services)/', pathNot: '^$1/', dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'libraries-never-import-services',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'services-never-import-each-other',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-database-in-processors',
      comment:
        'I/O only in repositories (STYLE.md §4, ADR 0015): a job processor calls services and repositories, ' +
        'never a database client, so it has no SQL to run.',
      severity: 'error',
      from: { path: '\\.processor\\.ts$' },
      to: { path: '(^|/)node_modules/(typeorm|pg)/' },
    },
    {
      name: 'controllers-never-touch-storage',
      comment:
        'A controller translates HTTP and calls a service (STYLE.md §4); repositories, db modules and ' +
        'storage clients are reached through services. Row types may be imported as types.',
      severity: 'error',
      from: { path: '\\.controller\\.ts$' },
      to: {
        path: ['\\.repository\\.ts$', '/db/', 'node_modules/(ioredis|pg|typeorm|bullmq)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'opossum-only-in-platform',
      comment: 'Breakers come from @casebook/platform (callBreaker, CircuitBreaker; ADR 0014).',
      severity: 'error',
      from: { pathNot: '^packages/platform/src/resilience/' },
      to: { path: '(^|/)node_modules/(\\.pnpm/)?(@types/)?opossum' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
    preserveSymlinks: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
