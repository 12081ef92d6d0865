import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './polling';
import { freePort, isRunning, Run, spawnProcess } from './server-process';

/**
 * A Redis of the test's own, on a free port of 127.0.0.1: the machine's shared one is never
 * touched. Its data is kept on disk (append-only file, written on every command) in a temporary
 * directory, so that it survives a kill and restart like a production Redis with persistence.
 */
export class TestRedis {
  private run?: Run;
  private readonly dir = mkdtempSync(join(tmpdir(), 'chat-test-redis-'));

  private constructor(readonly port: number) {}

  /** A new Redis on a free port, started. */
  static async start(): Promise<TestRedis> {
    const redis = new TestRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, with the data it had). */
  async start(): Promise<void> {
    const run = spawnProcess('redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
    ]);
    this.run = run;
    await until('redis to accept connections', () => {
      if (!isRunning(run)) throw new Error(`redis-server exited:\n${run.output()}`);
      return run.output().includes('Ready to accept');
    });
  }

  /** Kills the server at once, as a crash would (the data written so far is kept). */
  async stop(): Promise<void> {
    const run = this.run;
    if (!run || !isRunning(run)) return;
    run.child.kill('SIGCONT');
    run.child.kill('SIGKILL');
    await run.exited;
  }

  /** Freezes the server: connections stay open but nothing is answered, until resume(). */
  pause(): void {
    this.run?.child.kill('SIGSTOP');
  }

  resume(): void {
    this.run?.child.kill('SIGCONT');
  }

  /** Stops the server and deletes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
