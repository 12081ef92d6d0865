import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { Ipc } from '../lib/ipc';
import type { LoopDelay, MemorySample, SeedPlan, SeedResult } from '../lib/protocol';

/** Content of every seeded user's password hash: they never log in (tokens are minted). */
export const SEEDED_PASSWORD_HASH = 'bench-seeded-user-no-login';

/** The loop delay sampling interval: prom-client's, cheap enough not to move the CPU figures. */
const LOOP_RESOLUTION_MS = 10;

interface ServerHooks {
  name: string;
  seed(plan: SeedPlan): Promise<SeedResult>;
  stop(): Promise<void>;
}

/**
 * The IPC side every server under test shares: seeding, memory after a full GC (needs
 * --expose-gc), CPU time, and a clean stop (so --cpu-prof can write its profile).
 */
export function serveIpc(hooks: ServerHooks): Ipc {
  const ipc = new Ipc(process, `${hooks.name} parent`);
  ipc.handle('seed', (plan: SeedPlan) => hooks.seed(plan));
  ipc.handle('mem', async () => memoryAfterGc());
  ipc.handle('cpu', () => process.cpuUsage());
  // The event loop's delay over a measured span: stalls (a long GC, a sweep) show in its tail.
  let loop: IntervalHistogram | null = null;
  ipc.handle('loop-start', () => {
    loop?.disable();
    loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loop.enable();
    return true;
  });
  ipc.handle('loop-stop', (): LoopDelay | null => {
    if (!loop) return null;
    loop.disable();
    // The histogram holds whole intervals: the delay is what exceeds the sampling interval.
    const ms = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
    const delay = { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) };
    loop = null;
    return delay;
  });
  ipc.handle('stop', async () => {
    await Promise.race([hooks.stop(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    setTimeout(() => process.exit(0), 50);
    return true;
  });
  // An orphaned server (the orchestrator died) goes away on its own.
  process.on('disconnect', () => process.exit(0));
  return ipc;
}

export async function memoryAfterGc(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('start the server with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  // A debugging aid: BENCH_HEAP_SNAPSHOT_DIR=/some/dir writes a heap snapshot at every sample.
  const dir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
  if (dir) writeHeapSnapshot(join(dir, `${process.pid}-${++snapshots}.heapsnapshot`));
  return { rss, heapTotal, heapUsed, external, arrayBuffers };
}

let snapshots = 0;

/** Reads a required environment variable of the bench children. */
export function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}
