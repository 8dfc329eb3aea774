// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Q: one SQL idiom. Statements are written with the `sql` tag of @casebook/platform (values bound, fragments
// composed, identifiers through sql.ident); these catch the older forms it replaced.
const SQL_START = '/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|TRUNCATE|LISTEN|NOTIFY)\\b/';
const SQL_PIECE =
  '/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|TRUNCATE|LISTEN|FROM|WHERE|AND|OR|JOIN|GROUP BY|ORDER BY|LIMIT|RETURNING|VALUES)\\b/';
const sqlRules = [
  {
    // SQL is parameterised: a template literal with ${} passed to query() is how injection starts.
    selector:
      "CallExpression[callee.property.name='query'] > TemplateLiteral.arguments:first-child[expressions.length>0]",
    message: 'Build SQL with the sql tag (values become $n parameters), not with ${} in a template literal.',
  },
  {
    selector: `BinaryExpression[operator='+'] > Literal[value=${SQL_PIECE}]`,
    message: 'SQL is not built by concatenation: compose fragments with the sql tag (sql`… ${fragment} …`).',
  },
  {
    selector: `BinaryExpression[operator='+'] > TemplateLiteral[quasis.0.value.raw=${SQL_PIECE}]`,
    message: 'SQL is not built by concatenation: compose fragments with the sql tag (sql`… ${fragment} …`).',
  },
  {
    selector: `:not(TaggedTemplateExpression) > TemplateLiteral[expressions.length>0][quasis.0.value.raw=${SQL_START}]`,
    message: 'A SQL template with ${} must be tagged: sql`…` binds each value as a parameter.',
  },
  {
    selector: "CallExpression[callee.property.name='replace'] > Literal.arguments:first-child[value=/^\\$[A-Z0-9]/]",
    message: "Placeholders are numbered by the sql tag, not by replacing '$N' in a string.",
  },
];

// Scoping in types (STYLE.md §7): a scope is minted in owner-scope.ts; a cast anywhere else forges one.
const scopeRules = [
  {
    selector:
      'TSAsExpression > TSTypeReference.typeAnnotation > Identifier.typeName[name=/^(OwnerScope|EveryOwnerScope)$/]',
    message: 'Scopes are minted in conversations/owner-scope.ts (ownerScope(access), …), never cast.',
  },
];

// STYLE.md §4: SQL runs in repositories (and stores, db modules, migrations), not in the layers above them.
const sqlOutsideRepositories = {
  selector: "CallExpression[callee.property.name='query'], CallExpression[callee.name='queryRows']",
  message: 'SQL belongs in a repository: call a repository method (in the same transaction if needed).',
};

// ADR 0004: a code is declared once, with its status, in its module's defineErrorCodes enum.
// (no-restricted-syntax is replaced, not merged, by a later block: every block that sets it spreads these.)
const errorCodeRules = [
  {
    selector: "NewExpression[callee.name='ProblemError'] > ObjectExpression > Property[key.name='code'] > Literal",
    message: 'Throw a code from the module enum (defineErrorCodes), never a string literal.',
  },
];

// STYLE.md §4: a controller translates HTTP and calls one service method. What it must not do.
const thinController = [
  {
    selector: 'TryStatement',
    message:
      'Controllers do not catch: the service maps a failure to its module error code, the problem filter to HTTP.',
  },
  {
    selector: "CallExpression[callee.property.name='catch']",
    message:
      'Controllers do not catch: the service maps a failure to its module error code, the problem filter to HTTP.',
  },
  {
    selector: 'NewExpression[callee.name=/Exception$|^ProblemError$/]',
    message: 'Controllers do not raise errors: the service throws new ProblemError({ code: <Module>ErrorCode.X }).',
  },
  {
    selector: "Property[key.name='code'] > Literal",
    message: 'Error codes come from a module enum declared with defineErrorCodes, never a string literal.',
  },
  {
    selector: "MemberExpression[property.name='principal']",
    message: 'Read the caller with @CurrentPrincipal() principal: Principal.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'bench/results/**', 'load-tests/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Not enforced: with emitDecoratorMetadata, a class imported only "as a type" is still needed at
      // run time for dependency injection, and `import type` would break it.
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-restricted-syntax': ['error', sqlRules[0], ...scopeRules, ...errorCodeRules],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Application code writes SQL only with the sql tag. (Tests may spell out expected SQL text.)
    files: ['{packages,services}/*/src/**/*.ts'],
    // Applied migrations are history and are not edited (their text is also the test templates' fingerprint).
    ignores: ['**/*.spec.ts', '**/migrations/**'],
    rules: { 'no-restricted-syntax': ['error', ...sqlRules, ...scopeRules, ...errorCodeRules] },
  },
  {
    // I/O only in repositories (STYLE.md §4): services, processors, modules and job wiring call a repository;
    // they do not run SQL themselves.
    files: ['{packages,services}/*/src/**/*.{service,processor,module}.ts', 'services/*/src/{jobs,worker}/**/*.ts'],
    // Test fixtures shipped in src/testing stand in for an application; they are not one.
    ignores: ['**/*.spec.ts', '**/src/testing/**'],
    rules: {
      'no-restricted-syntax': ['error', ...sqlRules, ...scopeRules, ...errorCodeRules, sqlOutsideRepositories],
    },
  },
  {
    // The one module that mints scopes casts to them; nowhere else may.
    files: ['services/chatbot-api/src/conversations/owner-scope.ts'],
    rules: { 'no-restricted-syntax': ['error', ...sqlRules, ...errorCodeRules] },
  },
  {
    files: ['**/*.controller.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...sqlRules,
        ...scopeRules,
        ...errorCodeRules,
        ...thinController,
        sqlOutsideRepositories,
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'ioredis', message: 'Controllers reach Redis through a service.' },
            { name: 'pg', message: 'Controllers reach Postgres through a service.' },
            { name: 'typeorm', message: 'Controllers reach Postgres through a service.' },
            { name: 'bullmq', message: 'Controllers reach queues through a service.' },
          ],
          patterns: [
            {
              group: ['**/*.repository', '**/db/*'],
              allowTypeImports: true,
              message: 'Controllers call services; repositories are for services.',
            },
            {
              group: ['@casebook/*'],
              importNamePattern: 'Repository$',
              allowTypeImports: true,
              message: 'Controllers call services; repositories are for services.',
            },
          ],
        },
      ],
    },
  },
  {
    // One idiom per concern (docs/adr/0014-resilience-kit.md). Tests may still ignore a rejection on purpose.
    files: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts', 'bench/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='query'] > TemplateLiteral.arguments:first-child[expressions.length>0]",
          message: 'Build SQL with parameters ($1, $2), not with ${} in a template literal.',
        },
        {
          // .catch(() => undefined), .catch(() => null), .catch(() => {}), .catch(() => [])
          selector:
            "CallExpression[callee.property.name='catch'] > ArrowFunctionExpression.arguments:first-child[params.length=0]:matches([body.type='Identifier'][body.name='undefined'], [body.type='Literal'][body.value=null], [body.type='BlockStatement'][body.body.length=0], [body.type='ArrayExpression'][body.elements.length=0], [body.type='UnaryExpression'][body.operator='void'])",
          message: "A silent catch hides failures: use bestEffort(promise, 'operation') from @casebook/platform.",
        },
        {
          // new Promise((_, reject) => { setTimeout(() => reject(...), ms) }): a hand-written timeout.
          selector:
            "NewExpression[callee.name='Promise'] > ArrowFunctionExpression CallExpression[callee.name='setTimeout'] CallExpression[callee.name='reject']",
          message: 'Use withDeadline(promise, ms, what) from @casebook/platform for a promise timeout.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'opossum',
              message: 'Use callBreaker (whole remote calls) or CircuitBreaker (hot paths) from @casebook/platform.',
            },
          ],
        },
      ],
    },
  },
  {
    // The kit itself wraps opossum and owns the one promise timeout.
    files: ['packages/platform/src/resilience/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // Config is read in one place; everything else receives the validated object.
    files: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/config.ts',
      'packages/platform/src/config/**',
      'packages/telemetry/src/**',
      'packages/testing/src/**',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through the service config module.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['load-tests/**'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
  },
  {
    files: ['load-tests/k6/**/*.js'],
    languageOptions: { globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' } },
  },
);
