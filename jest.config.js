/**
 * Unit specs live next to the code (src/**\/*.spec.ts, and test/support/*.spec.ts for the test
 * tooling); e2e suites in test/ boot the real app.
 */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testRegex: '(src/.*\\.spec|test/support/.*\\.spec|test/.*\\.e2e-spec)\\.ts$',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  // NestJS 12 ships ESM only; Jest's runtime needs it transformed to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/|@redocly/openapi-core/)'],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 30000,
};
