import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import request from 'supertest';
import { uniqueName } from './factories/users.factory';
import { STORES } from './support/test-app';
import { adminQuery, databaseUrl, testDatabaseUrl } from './support/test-database';

/** The project root: where main runs from, as in production. */
const ROOT = resolve(__dirname, '..');
const ENTRY = ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
/** Settings of the app that each test gives explicitly, so the parent's never leak in. */
const APP_VARIABLES = [
  'PORT',
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'JWT_EXPIRES_IN',
  'CORS_ORIGINS',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'RATE_LIMIT_MESSAGES',
  'RATE_LIMIT_WINDOW_S',
  'RATE_LIMIT_AUTH',
];
const EXIT_DEADLINE_MS = 20_000;
const START_DEADLINE_MS = 30_000;
const POLL_INTERVAL_MS = 100;

interface Run {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as received. */
  output: () => string;
  /** Resolves once the process has exited and its output is complete. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const runs = new Set<Run>();

function isRunning(run: Run): boolean {
  return run.child.exitCode === null && run.child.signalCode === null;
}

/** Starts src/main.ts with a clean environment: the parent's without TEST_* or app settings. */
function spawnApp(env: Record<string, string>): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) {
    if (key.startsWith('TEST_') || APP_VARIABLES.includes(key)) delete childEnv[key];
  }
  const child = spawn(process.execPath, ENTRY, {
    cwd: ROOT,
    env: { ...childEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('close', (code, signal) => done({ code, signal })),
  );
  const run: Run = { child, output: () => output, exited };
  runs.add(run);
  void exited.then(() => runs.delete(run));
  return run;
}

/** The exit of `run`, or a failure with its output when it takes longer than `ms`. */
async function exitOf(run: Run, ms = EXIT_DEADLINE_MS) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the process did not exit within ${ms} ms:\n${run.output()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function outputLines(run: Run): string[] {
  return (
    run
      .output()
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Polls GET /health until 200, for a bounded time; fails early if the process exits. */
async function waitUntilHealthy(run: Run, url: string): Promise<request.Response> {
  const deadline = Date.now() + START_DEADLINE_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!isRunning(run)) throw new Error(`the server exited while starting:\n${run.output()}`);
    try {
      const response = await request(url).get('/health').timeout(2_000);
      if (response.status === 200) return response;
      last = `${response.status} ${response.text}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((done) => setTimeout(done, POLL_INTERVAL_MS));
  }
  throw new Error(`the server did not become healthy in time (${last}):\n${run.output()}`);
}

afterAll(async () => {
  for (const run of runs) {
    if (isRunning(run)) run.child.kill('SIGKILL');
  }
  await Promise.all([...runs].map((run) => run.exited));
});

describe.each(STORES)('starting src/main.ts (%s store)', (store) => {
  /** A store's own settings; for PostgreSQL, a database that exists (the test's or a new one). */
  let storeEnv: Record<string, string> = {};

  beforeAll(() => {
    storeEnv = store === 'postgres' ? { DATABASE_URL: testDatabaseUrl() } : {};
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'not-a-url'],
    ['JWT_EXPIRES_IN', 'soon'],
  ])('exits with code 1 and one line naming %s when it is %p', async (variable, value) => {
    const run = spawnApp({ ...storeEnv, LOG_LEVEL: 'log', [variable]: value });
    const { code } = await exitOf(run);
    const lines = outputLines(run);
    expect({ code, lines }).toEqual({ code: 1, lines: [expect.stringContaining(variable)] });
  });

  describe('with a usable configuration', () => {
    const database = `chat_startup_${process.pid}_${Date.now().toString(36)}`;
    let startEnv: Record<string, string> = {};

    beforeAll(async () => {
      if (store === 'postgres') {
        // A new, empty database: the app must create its own tables on its first start.
        await adminQuery(`CREATE DATABASE ${database}`);
        startEnv = { DATABASE_URL: databaseUrl(database) };
      }
    });

    afterAll(async () => {
      for (const run of runs) {
        if (isRunning(run)) run.child.kill('SIGKILL');
      }
      await Promise.all([...runs].map((run) => run.exited));
      if (store === 'postgres')
        await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });

    it('starts, answers GET /health, and exits with code 0 on SIGTERM', async () => {
      const port = await freePort();
      const run = spawnApp({ ...startEnv, PORT: String(port), LOG_LEVEL: 'log' });
      const url = `http://127.0.0.1:${port}`;

      const health = await waitUntilHealthy(run, url);
      expect(health.body).toMatchObject({ status: 'ok', storage: store });

      // The seeded room: on PostgreSQL, proof that the migrations ran on the empty database.
      const rooms = await request(url).get('/api/rooms').expect(200);
      expect(rooms.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'general' })]),
      );
      await request(url)
        .post('/api/auth/register')
        .send({ username: uniqueName('startup'), password: 'correct horse battery' })
        .expect(201);

      run.child.kill('SIGTERM');
      const exit = await exitOf(run);
      // On failure, the end of the log tells why.
      const tail = exit.code === 0 ? [] : outputLines(run).slice(-5);
      expect({ ...exit, tail }).toEqual({ code: 0, signal: null, tail: [] });
    }, 60_000);
  });
});
