// Shared Jest settings: SWC transpiles (with decorator metadata for Nest DI) so
// specs start fast; type-checking is the build's job, not the test runner's.
const { pathsToModuleNameMapper } = require('./tools/scripts/paths-to-module-name-mapper');
const swcrc = JSON.parse(require('fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(`${__dirname}/tsconfig.base.json`, __dirname),
  testMatch: ['**/?(*.)+(spec|test).ts'],
  // Nest and class-transformer read decorator metadata through it.
  setupFiles: ['reflect-metadata'],
  setupFilesAfterEnv: [`${__dirname}/tools/scripts/jest-retry-in-ci.js`],
  // The release, as the BFF bundles get it from webpack (libs/gateway-kernel/src/config/app-version.ts).
  globals: { GATEWAY_APP_VERSION: require('./package.json').version },
};
