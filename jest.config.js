// One Jest configuration for the whole repository. TypeScript is compiled by SWC
// (decorator metadata on, so Nest's dependency injection works in e2e tests).
// Unit tests sit beside the code (src/**/*.spec.ts); e2e and integration tests
// live under test/ (*.e2e-spec.ts, *.spec.ts).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
};
