/**
 * The dependency rule of src/ (docs/architecture.md), checked by `npm run lint`.
 *
 * - features (auth, users, rooms, messages, search, admin) never import the transports (realtime, http, web);
 * - common and config import no other part of src but the contract's types;
 * - infrastructure (database, cluster, metrics) imports no feature, except the schema's entities;
 * - code in src never imports test/ (specs and shared repository suites may);
 * - the contract (types shared with the client) imports no code; the client only it;
 * - no import cycles.
 */
const FEATURES = '^src/(auth|users|rooms|messages|search|admin)/';
const TRANSPORTS = '^src/(realtime|http|web)/';
const TEST_CODE = '\\.(spec|int-spec|suite)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'features-never-import-transports',
      comment:
        'Features publish through ports (MessageEvents, RoomEvents) that realtime implements.',
      severity: 'error',
      from: { path: FEATURES },
      to: { path: TRANSPORTS },
    },
    {
      name: 'common-and-config-import-nothing-else',
      comment: 'common, config and the contract are the foundation every part of src may use.',
      severity: 'error',
      from: { path: '^src/(common|config)/', pathNot: TEST_CODE },
      to: { path: '^src/', pathNot: '^src/(common|config|contract)/' },
    },
    {
      name: 'infrastructure-imports-no-feature',
      comment: 'Features bind their own adapters; only the schema (entities) is known to database.',
      severity: 'error',
      from: { path: '^src/(database|cluster|metrics)/', pathNot: TEST_CODE },
      to: { path: `${FEATURES}|${TRANSPORTS}`, pathNot: '\\.entity\\.ts$' },
    },
    {
      name: 'src-never-imports-test',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { path: '^test/' },
    },
    {
      name: 'contract-imports-no-code',
      comment:
        'The contract is types the browser bundles; only its build-time check reads the server.',
      severity: 'error',
      from: { path: '^src/contract/', pathNot: 'contract\\.check\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(contract/|common/errors/error-code\\.ts$)' },
    },
    {
      name: 'client-imports-only-the-contract',
      comment:
        'The browser bundle shares types, limits, the emoji rule and error codes with the server, nothing else.',
      severity: 'error',
      from: { path: '^client/' },
      to: {
        path: '^src/',
        pathNot: '^src/(contract/|common/(limits|emoji)\\.ts$|common/errors/error-code\\.ts$)',
      },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
