import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { GlobalConfig, ProjectConfig } from 'jest';
import { Client } from 'pg';
import { CHROMIUM } from '../web/support/browser';
import { until } from './polling';
import { ROOT } from './server-process';
import { PG_ADMIN_URL } from './test-database';

/**
 * What a test run needs from the machine, checked before any suite runs: PostgreSQL answering at
 * TEST_PG_ADMIN_URL, `redis-server` on the PATH (the Redis suites start their own) and, when a
 * browser suite is selected, Chromium. What root can provide is provided (Debian's chromium
 * installed, a stopped local cluster started); anything else stops the run with one line that
 * names what is missing and how to get it.
 */

const BROWSER_SUITES = join(ROOT, 'test', 'web');
/** How long a PostgreSQL just started may take to answer (as in CI's own wait). */
const POSTGRES_START_DEADLINE_MS = 60_000;
const POSTGRES_CONNECT_TIMEOUT_MS = 3_000;
const LOCAL_HOSTS = new Set(['', 'localhost', '127.0.0.1', '[::1]']);

export type PostgresState = 'up' | 'down' | { refused: string };

/** A PostgreSQL cluster of this machine (pg_lsclusters), on the port the tests use. */
export interface LocalCluster {
  version: string;
  name: string;
  running: boolean;
}

/** What the run needs and what this machine has. */
export interface Machine {
  root: boolean;
  aptGet: boolean;
  redisServer: boolean;
  /** Absent when no browser suite is selected. */
  chromium?: { path: string; fromEnv: boolean; executable: boolean };
  postgres: {
    /** host:port only: the URL's credentials never appear in a message. */
    address: string;
    fromEnv: boolean;
    state: PostgresState;
    cluster?: LocalCluster;
  };
}

export type Action =
  { kind: 'install-chromium' } | { kind: 'start-postgres'; version: string; name: string };

/** The actions that provide what is missing, or the one line that says what the run cannot get. */
export type Plan = { actions: Action[] } | { missing: string };

export function plan(machine: Machine): Plan {
  const actions: Action[] = [];
  const { postgres, chromium } = machine;

  if (typeof postgres.state === 'object') {
    return { missing: refusedLine(postgres.address, postgres.state.refused) };
  }
  if (postgres.state === 'down') {
    const cluster = postgres.cluster;
    if (cluster && !cluster.running && machine.root) {
      actions.push({ kind: 'start-postgres', version: cluster.version, name: cluster.name });
    } else if (cluster && !cluster.running) {
      return {
        missing: `npm test needs PostgreSQL at ${postgres.address}, which is stopped: run "sudo pg_ctlcluster ${cluster.version} ${cluster.name} start"`,
      };
    } else if (cluster || postgres.fromEnv) {
      return {
        missing: `npm test needs PostgreSQL at ${postgres.address}, which does not answer: start it there or set TEST_PG_ADMIN_URL to one that does`,
      };
    } else {
      return {
        missing: `npm test needs PostgreSQL at ${postgres.address}: run "sudo apt-get install -y postgresql" or set TEST_PG_ADMIN_URL`,
      };
    }
  }

  if (!machine.redisServer) {
    return {
      missing:
        'npm test needs redis-server on the PATH (the Redis suites start their own): run "sudo apt-get install -y redis-server"',
    };
  }

  if (chromium && !chromium.executable) {
    if (chromium.fromEnv) {
      return {
        missing: `npm test needs Chromium at ${chromium.path} (CHROMIUM_PATH), which is not an executable file: fix or unset CHROMIUM_PATH`,
      };
    }
    if (!machine.root || !machine.aptGet) {
      return {
        missing: `npm test needs Chromium at ${chromium.path}: run "sudo apt-get install -y chromium" or set CHROMIUM_PATH`,
      };
    }
    actions.push({ kind: 'install-chromium' });
  }
  return { actions };
}

function refusedLine(address: string, reason: string): string {
  return `npm test cannot sign in to PostgreSQL at ${address}: ${reason}; set TEST_PG_ADMIN_URL to an account that can create databases`;
}

/** The parts of Jest's configuration that decide which suites run. */
export interface SuiteSelection {
  rootDir: string;
  /** Jest's `testPathPatterns` (the command line's patterns). */
  testPathPatterns: {
    isSet(): boolean;
    toExecutor(options: { rootDir: string }): { isMatch(path: string): boolean };
  };
  findRelatedTests: boolean;
  testRegex: (string | RegExp)[];
  testPathIgnorePatterns: string[];
}

/** Whether the run includes one of the browser suites `files` (under test/web). */
export function selectsBrowserSuites(selection: SuiteSelection, files: string[]): boolean {
  const suites = files.filter(
    (file) =>
      selection.testRegex.some((regex) => new RegExp(regex).test(file)) &&
      !selection.testPathIgnorePatterns.some((regex) => new RegExp(regex).test(file)),
  );
  // With --findRelatedTests the arguments are source files, not suite patterns.
  if (!selection.testPathPatterns.isSet() || selection.findRelatedTests) return suites.length > 0;
  const patterns = selection.testPathPatterns.toExecutor({ rootDir: selection.rootDir });
  return suites.some((file) => patterns.isMatch(file));
}

/**
 * Provides what the run needs or ends the process with one line on stderr; called first thing by
 * Jest's global setup.
 */
export async function ensurePrerequisites(
  globalConfig: GlobalConfig,
  projectConfig: ProjectConfig,
): Promise<void> {
  const machine = await survey({ ...globalConfig, ...projectConfig });
  const decided = plan(machine);
  if ('missing' in decided) stop(decided.missing);
  for (const action of decided.actions) {
    const problem =
      action.kind === 'install-chromium'
        ? installChromium(machine.chromium!.path)
        : await startPostgres(action, machine.postgres.address);
    if (problem) stop(problem);
  }
}

function stop(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

async function survey(selection: SuiteSelection): Promise<Machine> {
  const admin = new URL(PG_ADMIN_URL);
  const port = admin.port || '5432';
  const state = await postgresState();
  const browsers = selectsBrowserSuites(
    selection,
    readdirSync(BROWSER_SUITES, { recursive: true, encoding: 'utf8' }).map((name) =>
      join(BROWSER_SUITES, name),
    ),
  );
  return {
    root: process.getuid?.() === 0,
    aptGet: onPath('apt-get'),
    redisServer: onPath('redis-server'),
    chromium: browsers
      ? {
          path: CHROMIUM,
          fromEnv: process.env.CHROMIUM_PATH !== undefined,
          executable: isExecutable(CHROMIUM),
        }
      : undefined,
    postgres: {
      address: `${admin.hostname || 'localhost'}:${port}`,
      fromEnv: process.env.TEST_PG_ADMIN_URL !== undefined,
      state,
      cluster: state === 'down' && LOCAL_HOSTS.has(admin.hostname) ? localCluster(port) : undefined,
    },
  };
}

/** Whether PostgreSQL answers at the admin URL, or refuses these credentials. */
async function postgresState(): Promise<PostgresState> {
  const client = new Client({
    connectionString: PG_ADMIN_URL,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'up';
  } catch (error) {
    // 28xxx: authentication; 3D000: no such database. Anything else (refused, timed out,
    // starting up) means nothing answers yet.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^(28|3D)/.test(code)) {
      return { refused: (error as Error).message };
    }
    return 'down';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The cluster pg_lsclusters lists on `port`, if PostgreSQL is installed here. */
function localCluster(port: string): LocalCluster | undefined {
  if (!onPath('pg_lsclusters')) return undefined;
  // Columns: Ver Cluster Port Status Owner Data-directory Log-file
  const line = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
    .split('\n')
    .map((row) => row.trim().split(/\s+/))
    .find((columns) => columns[2] === port);
  return line && { version: line[0], name: line[1], running: line[3].startsWith('online') };
}

function installChromium(path: string): string | undefined {
  process.stderr.write('npm test: installing Chromium (apt-get install chromium)…\n');
  const failed =
    runQuietly('apt-get', ['update', '-qq']) ??
    runQuietly('apt-get', ['install', '-y', '-qq', 'chromium'], {
      DEBIAN_FRONTEND: 'noninteractive',
    });
  if (failed) return `npm test could not install Chromium: ${failed}; or set CHROMIUM_PATH`;
  if (!isExecutable(path)) {
    return `npm test installed the chromium package, but ${path} is still missing: set CHROMIUM_PATH`;
  }
  return undefined;
}

async function startPostgres(
  cluster: { version: string; name: string },
  address: string,
): Promise<string | undefined> {
  process.stderr.write(`npm test: starting PostgreSQL ${cluster.version} ${cluster.name}…\n`);
  const failed = runQuietly('pg_ctlcluster', [
    '--skip-systemctl-redirect',
    cluster.version,
    cluster.name,
    'start',
  ]);
  if (failed) return `npm test could not start PostgreSQL: ${failed}`;
  try {
    await until(
      'PostgreSQL to answer',
      async () => (await postgresState()) !== 'down',
      POSTGRES_START_DEADLINE_MS,
    );
  } catch {
    return `npm test started PostgreSQL ${cluster.version} ${cluster.name}, but ${address} did not answer within ${POSTGRES_START_DEADLINE_MS / 1000} s`;
  }
  const state = await postgresState();
  return typeof state === 'object' ? refusedLine(address, state.refused) : undefined;
}

/** Runs a command quietly; on failure, says which and how it ended (its output would be many lines). */
function runQuietly(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): string | undefined {
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  if (result.status === 0) return undefined;
  const ended = result.error
    ? result.error.message
    : result.signal
      ? `signal ${result.signal}`
      : `exit ${result.status}`;
  return `"${[command, ...args].join(' ')}" failed (${ended}); run it to see why`;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .some((directory) => directory !== '' && isExecutable(join(directory, command)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
