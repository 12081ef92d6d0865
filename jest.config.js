/**
 * Unit specs live next to the code (src/**\/*.spec.ts, and test/support/*.spec.ts for the test
 * tooling); e2e suites in test/ boot the real app.
 */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testRegex: '(src/.*\\.spec|test/support/.*\\.spec|test/.*\\.e2e-spec)\\.ts$',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  // NestJS 12 ships ESM only, as do content-disposition (under @fastify/static, which serves the
  // OpenAPI UI and the web client) and cookie (under light-my-request, Fastify's inject); Jest's
  // runtime needs them transformed to CommonJS.
  transformIgnorePatterns: [
    '/node_modules/(?!@nestjs/|@redocly/openapi-core/|content-disposition/|cookie/|light-my-request/node_modules/cookie/)(?!.*/node_modules/content-disposition/)',
  ],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 30000,
};
