// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const parameterisedSql = [
  {
    // SQL is parameterised: a template literal with ${} passed to query() is how injection starts.
    selector:
      "CallExpression[callee.property.name='query'] > TemplateLiteral.arguments:first-child[expressions.length>0]",
    message: 'Build SQL with parameters ($1, $2), not with ${} in a template literal.',
  },
];

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
      'no-restricted-syntax': ['error', ...parameterisedSql, ...errorCodeRules],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.controller.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...parameterisedSql, ...errorCodeRules, ...thinController],
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
