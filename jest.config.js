// One jest run for the whole workspace: unit and integration tests, against the real Postgres and
// Redis on this machine. Workspace packages are mapped to their sources, so no build is needed.
const fs = require('node:fs');
const path = require('node:path');

const swc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swc.$schema;

const moduleNameMapper = {};
for (const dir of ['packages', 'services']) {
  for (const name of fs.readdirSync(path.join(__dirname, dir))) {
    moduleNameMapper[`^@casebook/${name}$`] = `<rootDir>/${dir}/${name}/src/index.ts`;
  }
}
moduleNameMapper['^@casebook/load-tests$'] = '<rootDir>/load-tests/src/index.ts';

// Dependencies published as ES modules only; Node 20 loads them natively, jest needs them compiled.
const ESM_ONLY = ['content-disposition', 'franc-min', 'trigram-utils', 'n-gram', 'collapse-white-space'];
const esm = ESM_ONLY.map((name) => `\\.pnpm/${name}@|${name}/`).join('|');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  moduleNameMapper,
  testMatch: ['<rootDir>/{packages,services,load-tests,bench,test}/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transformIgnorePatterns: [`/node_modules/(?!${esm})`],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['<rootDir>/packages/testing/src/setup/block-network.ts'],
  // Two cores here: two workers, each test file on its own database and Redis prefix.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
  testTimeout: 30_000,
  forceExit: false,
};
