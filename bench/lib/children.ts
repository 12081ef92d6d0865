/** Starting and stopping the bench's child processes: servers, the generator, the save() baseline. */
import { ChildProcess, fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ipc } from './ipc';
import type { ServerKind } from './protocol';

export const BENCH_DIR = join(__dirname, '..');
export const JWT_SECRET = 'bench-secret-0123456789abcdef0123456789';

export interface ChildOptions {
  cacheDir: string;
  appDir: string;
  /** Extra environment, e.g. DATABASE_URL. */
  env?: Record<string, string>;
  /** Directory for --cpu-prof output of the servers (a folder per server kind under it). */
  profileDir?: string;
  /** Node flags of a scenario's servers, beside BENCH_SERVER_NODE_ARGS. */
  nodeArgs?: string[];
}

export interface Child {
  name: string;
  proc: ChildProcess;
  ipc: Ipc;
  pid: number;
  logFile: string;
  /** Asks the child to stop cleanly, then kills it if it does not. */
  stop(): Promise<void>;
  kill(): void;
}

export interface ServerChild extends Child {
  kind: ServerKind;
  port: number;
}

let counter = 0;

/** The children's environment: nothing inherited but the basics, so a shell's settings don't leak. */
function childEnv(options: ChildOptions): NodeJS.ProcessEnv {
  const keep = [
    'PATH',
    'HOME',
    'LANG',
    'TZ',
    'TMPDIR',
    'BENCH_WS_CLIENT',
    'BENCH_HEAP_SNAPSHOT_DIR',
  ];
  const env: NodeJS.ProcessEnv = {};
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name];
  return {
    ...env,
    BENCH_APP_DIR: options.appDir,
    JWT_SECRET,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MESSAGES: '0',
    RATE_LIMIT_AUTH: '0',
    ...options.env,
  };
}

async function start(
  name: string,
  script: string,
  execArgv: string[],
  options: ChildOptions,
  readyTimeoutMs = 90_000,
): Promise<{ child: Child; ready: unknown }> {
  const logDir = join(options.cacheDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${String(++counter).padStart(3, '0')}-${name}.log`);
  const log = openSync(logFile, 'w');
  const proc = fork(join(BENCH_DIR, script), [], {
    execArgv,
    env: childEnv(options),
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const ipc = new Ipc(proc, name);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    proc.on('exit', () => {
      exited = true;
      resolve();
    });
  });
  const kill = () => {
    if (!exited) proc.kill('SIGKILL');
  };
  const child: Child = {
    name,
    proc,
    ipc,
    pid: proc.pid ?? -1,
    logFile,
    kill,
    stop: async () => {
      if (exited) return;
      await ipc.request('stop', null, 10_000).catch(() => undefined);
      const timer = setTimeout(kill, 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
  try {
    const ready = await Promise.race([
      ipc.once('ready', readyTimeoutMs),
      exit.then(() => {
        throw new Error(`${name} exited during start-up; log:\n${tail(logFile)}`);
      }),
    ]);
    return { child, ready };
  } catch (error) {
    kill();
    throw error;
  }
}

/** A round's failure, with the end of the server's log. */
export function failedOn(what: string, server: ServerChild, error: unknown): Error {
  return new Error(
    `${what} failed: ${error instanceof Error ? error.message : String(error)}\n` +
      `server log (${server.logFile}):\n${tail(server.logFile)}`,
    { cause: error },
  );
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const SERVER_SCRIPT: Record<ServerKind, string> = {
  ours: 'servers/our-server.js',
  socketio: 'servers/socketio-baseline.js',
  ws: 'servers/ws-baseline.js',
};

export async function startServer(kind: ServerKind, options: ChildOptions): Promise<ServerChild> {
  const execArgv = ['--expose-gc', '--max-old-space-size=4096'];
  // A debugging aid, e.g. BENCH_SERVER_NODE_ARGS=--trace-gc (the output goes to the server log).
  execArgv.push(...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean));
  execArgv.push(...(options.nodeArgs ?? []));
  if (options.profileDir) {
    const dir = join(options.profileDir, kind);
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const { child, ready } = await start(kind, SERVER_SCRIPT[kind], execArgv, options);
  return { ...child, kind, port: (ready as { port: number }).port };
}

/** The generator relays its `server` requests (cpu, mem) to the server under test. */
export async function startGenerator(
  server: ServerChild | null,
  options: ChildOptions,
  onProgress: (line: string) => void,
): Promise<Child> {
  const { child } = await start(
    'generator',
    'generator/generator.js',
    ['--max-old-space-size=4096'],
    options,
  );
  child.ipc.handle('server', (body: { type: string }) => {
    if (!server) throw new Error('no server to ask');
    return server.ipc.request(body.type, null, 60_000);
  });
  child.ipc.on('progress', (body: { line: string }) => onProgress(body.line));
  return child;
}

export async function startSaver(options: ChildOptions): Promise<Child> {
  const { child } = await start('typeorm-save', 'baselines/typeorm-save.js', [], options);
  return child;
}
