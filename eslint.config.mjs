// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
      'no-restricted-syntax': [
        'error',
        {
          // SQL is parameterised: a template literal with ${} passed to query() is how injection starts.
          selector:
            "CallExpression[callee.property.name='query'] > TemplateLiteral.arguments:first-child[expressions.length>0]",
          message: 'Build SQL with parameters ($1, $2), not with ${} in a template literal.',
        },
      ],
      eqeqeq: ['error', 'smart'],
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
