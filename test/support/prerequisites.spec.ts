import { Machine, plan, selectsBrowserSuites, SuiteSelection } from './prerequisites';

/** A root machine with everything up, apt-get available and Chromium selected and present. */
function machine(changes: Partial<Machine> = {}): Machine {
  return {
    root: true,
    aptGet: true,
    redisServer: true,
    chromium: { path: '/usr/bin/chromium', fromEnv: false, executable: true },
    postgres: { address: '127.0.0.1:5432', fromEnv: false, state: 'up' },
    ...changes,
  };
}

const STOPPED_CLUSTER = { version: '15', name: 'main', running: false };
const NO_CHROMIUM = { path: '/usr/bin/chromium', fromEnv: false, executable: false };

describe('plan: what npm test does about what the machine lacks', () => {
  it('does nothing when everything is there', () => {
    expect(plan(machine())).toEqual({ actions: [] });
  });

  it('does not look at Chromium when no browser suite runs', () => {
    expect(plan(machine({ chromium: undefined, root: false }))).toEqual({ actions: [] });
  });

  it('installs Debian’s Chromium as root with apt-get', () => {
    expect(plan(machine({ chromium: NO_CHROMIUM }))).toEqual({
      actions: [{ kind: 'install-chromium' }],
    });
  });

  it.each([
    ['not root', { root: false }],
    ['without apt-get', { aptGet: false }],
  ])('asks for Chromium when %s', (_, changes) => {
    expect(plan(machine({ ...changes, chromium: NO_CHROMIUM }))).toEqual({
      missing:
        'npm test needs Chromium at /usr/bin/chromium: run "sudo apt-get install -y chromium" or set CHROMIUM_PATH',
    });
  });

  it('installs nothing in place of a CHROMIUM_PATH that is not there', () => {
    const chromium = { path: '/opt/chrome/chrome', fromEnv: true, executable: false };
    expect(plan(machine({ chromium }))).toEqual({
      missing:
        'npm test needs Chromium at /opt/chrome/chrome (CHROMIUM_PATH), which is not an executable file: fix or unset CHROMIUM_PATH',
    });
  });

  it('asks for redis-server when it is not on the PATH', () => {
    expect(plan(machine({ redisServer: false }))).toEqual({
      missing:
        'npm test needs redis-server on the PATH (the Redis suites start their own): run "sudo apt-get install -y redis-server"',
    });
  });

  it('starts a stopped local PostgreSQL as root', () => {
    const postgres = {
      address: '127.0.0.1:5432',
      fromEnv: false,
      state: 'down' as const,
      cluster: STOPPED_CLUSTER,
    };
    expect(plan(machine({ postgres, chromium: NO_CHROMIUM }))).toEqual({
      actions: [
        { kind: 'start-postgres', version: '15', name: 'main' },
        { kind: 'install-chromium' },
      ],
    });
  });

  it('asks a user who is not root to start the stopped cluster', () => {
    const postgres = {
      address: '127.0.0.1:5432',
      fromEnv: false,
      state: 'down' as const,
      cluster: STOPPED_CLUSTER,
    };
    expect(plan(machine({ postgres, root: false }))).toEqual({
      missing:
        'npm test needs PostgreSQL at 127.0.0.1:5432, which is stopped: run "sudo pg_ctlcluster 15 main start"',
    });
  });

  it('asks for PostgreSQL when none is installed', () => {
    const postgres = { address: '127.0.0.1:5432', fromEnv: false, state: 'down' as const };
    expect(plan(machine({ postgres }))).toEqual({
      missing:
        'npm test needs PostgreSQL at 127.0.0.1:5432: run "sudo apt-get install -y postgresql" or set TEST_PG_ADMIN_URL',
    });
  });

  it.each([
    ['another host (TEST_PG_ADMIN_URL)', 'db.internal:5432', true, undefined],
    [
      'a local cluster that runs but does not answer',
      '127.0.0.1:5432',
      false,
      { ...STOPPED_CLUSTER, running: true },
    ],
  ])('starts nothing for %s', (_, address, fromEnv, cluster) => {
    const postgres = { address, fromEnv, state: 'down' as const, cluster };
    expect(plan(machine({ postgres }))).toEqual({
      missing: `npm test needs PostgreSQL at ${address}, which does not answer: start it there or set TEST_PG_ADMIN_URL to one that does`,
    });
  });

  it('names a refused sign-in by address and reason, never by URL', () => {
    const postgres = {
      address: 'db.internal:5432',
      fromEnv: true,
      state: { refused: 'password authentication failed for user "ci"' },
    };
    expect(plan(machine({ postgres }))).toEqual({
      missing:
        'npm test cannot sign in to PostgreSQL at db.internal:5432: password authentication failed for user "ci"; set TEST_PG_ADMIN_URL to an account that can create databases',
    });
  });

  it('reports what it cannot provide before providing anything', () => {
    const postgres = {
      address: '127.0.0.1:5432',
      fromEnv: false,
      state: 'down' as const,
      cluster: STOPPED_CLUSTER,
    };
    expect(plan(machine({ postgres, chromium: NO_CHROMIUM, redisServer: false }))).toEqual({
      missing: expect.stringContaining('redis-server'),
    });
  });
});

describe('selectsBrowserSuites: whether the run needs Chromium', () => {
  const ROOT = '/repo';
  const FILES = ['/repo/test/web/web-client.e2e-spec.ts', '/repo/test/web/support/browser.ts'];

  /**
   * The integration project's configuration (the one with the global setup) for
   * `jest <patterns…>`; a pattern matches paths as a regex does.
   */
  function selection(patterns: string[], changes: Partial<SuiteSelection> = {}): SuiteSelection {
    return {
      rootDir: ROOT,
      testPathPatterns: {
        isSet: () => patterns.length > 0,
        toExecutor: () => ({
          isMatch: (path) => patterns.some((pattern) => new RegExp(pattern, 'i').test(path)),
        }),
      },
      findRelatedTests: false,
      testRegex: ['(src/.*\\.int-spec|test/.*\\.e2e-spec)\\.ts$'],
      testPathIgnorePatterns: ['/node_modules/'],
      ...changes,
    };
  }

  it.each([
    ['npm test (no pattern)', [], true],
    ['npm run test:e2e (test)', ['test'], true],
    ['jest test/web', ['test/web'], true],
    ['jest src (its integration specs)', ['src'], false],
    ['jest test/multi-node', ['test/multi-node'], false],
  ])('%s: %p', (_, patterns, expected) => {
    expect(selectsBrowserSuites(selection(patterns), FILES)).toBe(expected);
  });

  it('counts the screenshots run, selected by its own testRegex', () => {
    const testRegex = ['test/web/screenshots\\.run\\.ts$'];
    expect(
      selectsBrowserSuites(selection([], { testRegex }), ['/repo/test/web/screenshots.run.ts']),
    ).toBe(true);
  });

  it('assumes browser suites may run with --findRelatedTests (its arguments are sources)', () => {
    expect(selectsBrowserSuites(selection(['src'], { findRelatedTests: true }), FILES)).toBe(true);
  });

  it('leaves out ignored suites', () => {
    const ignored = selection([], { testPathIgnorePatterns: ['/test/web/'] });
    expect(selectsBrowserSuites(ignored, FILES)).toBe(false);
  });
});
