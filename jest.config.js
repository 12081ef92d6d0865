/**
 * Two projects. Unit specs (`*.spec.ts`: next to the code in src/ and client/src/, and in
 * test/support/ for the test tooling) need nothing but Node: `npm run test:unit` runs them alone, without PostgreSQL or
 * Redis. Integration specs (`src/**\/*.int-spec.ts`, on PostgreSQL or a redis-server of their own)
 * and the e2e suites (`test/**\/*.e2e-spec.ts`, the real app) need the machine's services: the
 * project's global setup checks and provides them first, and runs only when one of its suites is
 * selected. `npm test` runs both.
 */
const shared = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  // NestJS 12 ships ESM only, as do content-disposition (under @fastify/static, which serves the
  // OpenAPI UI and the web client) and cookie (under light-my-request, Fastify's inject); Jest's
  // runtime needs them transformed to CommonJS.
  transformIgnorePatterns: [
    '/node_modules/(?!@nestjs/|@redocly/openapi-core/|content-disposition/|cookie/|light-my-request/node_modules/cookie/)(?!.*/node_modules/content-disposition/)',
  ],
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testRegex: '(src|client/src|test/support)/.*\\.spec\\.ts$' },
    {
      ...shared,
      displayName: 'integration',
      testRegex: '(src/.*\\.int-spec|test/.*\\.e2e-spec)\\.ts$',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 30000,
};
