/**
 * Baseline of the persisted-writes scenario: "one TypeORM save() per message", with the project's
 * own entities and DataSource options (from the compiled app in BENCH_APP_DIR), saving Message rows
 * one after another per worker (concurrency 1 by default). It runs as its own process.
 */
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DataSourceOptions, EntityTarget, ObjectLiteral } from 'typeorm';
import { Histogram, nowUs } from '../lib/histogram';
import { Ipc } from '../lib/ipc';
import { CpuMeter } from '../lib/util';
import { env } from '../servers/common';

export interface SaveTask {
  databaseUrl: string;
  roomId: number;
  userId: number;
  concurrency: number;
  durationMs: number;
  maxCount: number;
  contentBytes: number;
}

const appDir = env('BENCH_APP_DIR');
const requireApp = createRequire(join(appDir, 'package.json'));
const load = <T>(path: string): T => requireApp(join(appDir, path)) as T;

async function run(task: SaveTask) {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions } = load<{ dataSourceOptions(url: string): DataSourceOptions }>(
    'src/database/data-source-options.js',
  );
  const { MessageEntity } = load<{ MessageEntity: EntityTarget<ObjectLiteral> }>(
    'src/messages/message.entity.js',
  );
  const dataSource = new DataSource(dataSourceOptions(task.databaseUrl));
  await dataSource.initialize();
  try {
    const repository = dataSource.getRepository(MessageEntity);
    const latency = new Histogram();
    const tag = Math.random().toString(36).slice(2, 8);
    const pad = 'x'.repeat(Math.max(0, task.contentBytes - 24));
    let issued = 0;
    let failed = 0;
    let firstError: string | null = null;
    const meter = new CpuMeter().start();
    const started = performance.now();
    const worker = async () => {
      while (issued < task.maxCount && performance.now() - started < task.durationMs) {
        const n = issued++;
        const startUs = nowUs();
        try {
          await repository.save(
            repository.create({
              roomId: task.roomId,
              userId: task.userId,
              content: `~0~${startUs}~${pad}`,
              clientMsgId: `${tag}-${n}`,
            }),
          );
          latency.recordUs(nowUs() - startUs);
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: task.concurrency }, worker));
    const elapsedMs = performance.now() - started;
    return {
      concurrency: task.concurrency,
      saved: latency.count,
      failed,
      firstError,
      elapsedMs,
      perSecond: (latency.count / elapsedMs) * 1000,
      latency: latency.summary(),
      cpu: meter.percent(),
    };
  } finally {
    await dataSource.destroy();
  }
}

const ipc = new Ipc(process, 'typeorm-save parent');
process.on('disconnect', () => process.exit(0));
ipc.handle('save', (task: SaveTask) => run(task));
ipc.handle('stop', () => {
  setTimeout(() => process.exit(0), 20);
  return true;
});
ipc.emit('ready', { pid: process.pid });
