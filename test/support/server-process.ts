import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import request from 'supertest';

/** The project root: where main runs from, as in production. */
export const ROOT = resolve(__dirname, '../..');
const ENTRY = ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
/** Settings of the app that each test gives explicitly, so the parent's never leak in. */
const APP_VARIABLES = [
  'PORT',
  'DATABASE_URL',
  'REDIS_URL',
  'REDIS_PUBSUB',
  'JWT_SECRET',
  'JWT_EXPIRES_IN',
  'CORS_ORIGINS',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'RATE_LIMIT_MESSAGES',
  'RATE_LIMIT_WINDOW_S',
  'RATE_LIMIT_AUTH',
  'RATE_LIMIT_JOINS',
  'METRICS_TOKEN',
  'METRICS_PUBLIC',
  'TRUST_PROXY',
  'NODE_ENV',
];
const EXIT_DEADLINE_MS = 20_000;
const START_DEADLINE_MS = 30_000;
const POLL_INTERVAL_MS = 100;

export interface Run {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as received. */
  output: () => string;
  /** Resolves once the process has exited and its output is complete. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const runs = new Set<Run>();

export function isRunning(run: Run): boolean {
  return run.child.exitCode === null && run.child.signalCode === null;
}

/**
 * Starts src/main.ts in a child process with a clean environment: the parent's without TEST_* or
 * app settings, plus `env`.
 */
export function spawnApp(env: Record<string, string>): Run {
  return spawnProcess(process.execPath, ENTRY, env);
}

/** Starts a program, capturing its output; killAll() ends whatever is still running. */
export function spawnProcess(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) {
    if (key.startsWith('TEST_') || APP_VARIABLES.includes(key)) delete childEnv[key];
  }
  const child = spawn(command, args, {
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
export async function exitOf(run: Run, ms = EXIT_DEADLINE_MS) {
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

export function outputLines(run: Run): string[] {
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

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Polls GET /health until 200, for a bounded time; fails early if the process exits. */
export async function waitUntilHealthy(
  run: Run,
  url: string,
  deadlineMs = START_DEADLINE_MS,
): Promise<request.Response> {
  const deadline = Date.now() + deadlineMs;
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

/** A server process, as a load balancer would see it. */
export interface ServerNode {
  url: string;
  http: () => ReturnType<typeof request>;
}

/** Starts the app on a free port with `env` and resolves once it answers /health. */
export async function startNode(
  env: Record<string, string>,
  deadlineMs?: number,
): Promise<ServerNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(spawnApp({ ...env, PORT: String(port) }), url, deadlineMs);
  return { url, http: () => request(url) };
}

/** Kills every process started here that still runs, and waits for them. */
export async function killAll(): Promise<void> {
  for (const run of runs) {
    if (isRunning(run)) run.child.kill('SIGKILL');
  }
  await Promise.all([...runs].map((run) => run.exited));
}
