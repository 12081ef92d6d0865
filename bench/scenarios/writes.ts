/**
 * persisted writes: the highest rate of acknowledged chat_message sends our server sustains on
 * PostgreSQL with ack p99 under 100 ms (the sending path as built), against "one TypeORM save()
 * per message" with the project's entities, alternating, on the same database.
 */
import { join } from 'node:path';
import {
  startGenerator,
  startSaver,
  startServer,
  tail,
  type Child,
  type ServerChild,
} from '../lib/children';
import { Context, mintTokens, ratio, ScenarioOutcome } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { createDatabase, dropDatabase, withClient } from '../lib/pg';
import { ms, num, textTable } from '../lib/table';
import type { SeedResult } from '../lib/protocol';
import { roundRamp } from '../lib/tasks';
import type { MessagingResult, MessagingTask, RampSpec } from '../lib/tasks';

export interface WritesSpec {
  rooms: number;
  roomSize: number;
  ramp: RampSpec;
  contentBytes: number;
  saveMs: number;
  concurrentSaves: number;
}

interface SaveResult {
  concurrency: number;
  saved: number;
  failed: number;
  firstError: string | null;
  elapsedMs: number;
  perSecond: number;
  latency: { p50: number; p99: number; max: number; mean: number; count: number };
  cpu: number;
}

export async function runWritesScenario(ctx: Context, spec: WritesSpec): Promise<ScenarioOutcome> {
  const name = 'persisted writes';
  const dbName = `chat_bench_${ctx.runTag}_writes`;
  const url = await createDatabase(dbName);
  const options = ctx.childOptions('writes', { DATABASE_URL: url });
  const ours: MessagingResult[] = [];
  const saves: SaveResult[] = [];
  const profiles: string[] = [];
  let baselineIds: { userId: number; roomId: number } | null = null;
  try {
    for (let round = 1; round <= ctx.rounds; round++) {
      ctx.log(`${name}: round ${round}, ours (PostgreSQL)`);
      const ramp = roundRamp(
        spec.ramp,
        ours.map((result) => result.best?.rate),
      );
      ours.push(await runOurs(ctx, spec, ramp, round, options, url));
      if (options.profileDir) profiles.push(join(options.profileDir, 'ours'));
      baselineIds ??= await withClient(url, async (client) => {
        const user = await client.query<{ id: number }>(
          `INSERT INTO users (username, password_hash) VALUES ('save-baseline', 'x') RETURNING id`,
        );
        const room = await client.query<{ id: number }>(
          `INSERT INTO rooms (name, description, created_by) VALUES ('save-baseline', '', $1)
           RETURNING id`,
          [user.rows[0].id],
        );
        return { userId: user.rows[0].id, roomId: room.rows[0].id };
      });
      const concurrencies = round === 1 ? [1, spec.concurrentSaves] : [1];
      for (const concurrency of concurrencies) {
        ctx.log(`${name}: round ${round}, TypeORM save() per message, concurrency ${concurrency}`);
        await waitForQuiet(ctx.log);
        const saver = await startSaver(options);
        try {
          const result: SaveResult = await saver.ipc.request(
            'save',
            {
              databaseUrl: url,
              ...baselineIds,
              concurrency,
              durationMs: spec.saveMs,
              maxCount: 500_000,
              contentBytes: spec.contentBytes,
            },
            spec.saveMs + 60_000,
          );
          if (result.failed > 0) throw new Error(`save() failed: ${result.firstError}`);
          saves.push(result);
          ctx.log(
            `  save() x${concurrency}: ${num(result.perSecond)}/s, p99 ${ms(result.latency.p99)}, ` +
              `CPU ${result.cpu.toFixed(0)}%`,
          );
        } finally {
          await saver.stop();
        }
      }
    }
  } finally {
    await dropDatabase(dbName).catch((error: unknown) =>
      ctx.log(`  could not drop ${dbName}: ${String(error)}`),
    );
  }

  const top = ours.reduce<MessagingResult | null>(
    (best, result) =>
      !best || (result.best?.ackedPerS ?? 0) > (best.best?.ackedPerS ?? 0) ? result : best,
    null,
  );
  const serial = saves.filter((save) => save.concurrency === 1);
  const serialBest = serial.reduce<SaveResult | null>(
    (best, save) => (!best || save.perSecond > best.perSecond ? save : best),
    null,
  );
  const concurrent = saves.find((save) => save.concurrency === spec.concurrentSaves) ?? null;
  const writeRatio = ratio(top?.best?.ackedPerS, serialBest?.perSecond);
  const rows = [
    {
      scenario: name,
      metric: `acked msg/s sustained with ack p99 < ${spec.ramp.sloP99Ms} ms vs save() one after another`,
      ours: num(top?.best?.ackedPerS),
      baseline: num(serialBest?.perSecond),
      ratio: writeRatio,
      target: '>= 5x',
      pass: writeRatio !== null && writeRatio >= 5,
    },
    {
      scenario: name,
      metric: `same, vs save() with ${spec.concurrentSaves} concurrent (pool of 20)`,
      ours: num(top?.best?.ackedPerS),
      baseline: num(concurrent?.perSecond),
      ratio: ratio(top?.best?.ackedPerS, concurrent?.perSecond),
      target: 'info',
      pass: null,
    },
  ];
  const stepRows = ours.flatMap((result, i) =>
    result.steps.map((step) => [
      String(i + 1),
      num(step.rate),
      num(step.ackedPerS),
      ms(step.ack.p50),
      ms(step.ack.p99),
      ms(step.e2e.p99),
      `${step.generatorCpu.toFixed(0)}%`,
      `${step.serverCpu.toFixed(0)}%`,
      `${step.pgCpu.toFixed(0)}%`,
      `${step.otherCpu.toFixed(0)}%`,
      step.passed ? 'pass' : step.why,
    ]),
  );
  const details = [
    `Our server on PostgreSQL (RATE_LIMIT_MESSAGES=0), ${spec.rooms} rooms of ${spec.roomSize} ` +
      `(one socket per user, each message broadcast to its room), sends from every member at a ` +
      `rising rate. Baseline: a separate process saving MessageEntity rows with ` +
      `Repository.save() (project entities and DataSource options), for ${spec.saveMs / 1000} s.`,
    textTable(
      [
        'round',
        'rate',
        'acked/s',
        'ack p50',
        'ack p99',
        'e2e p99',
        'gen CPU',
        'srv CPU',
        'PG CPU',
        'other CPU',
        'result',
      ],
      stepRows,
    ),
    '',
    textTable(
      ['save() baseline', 'saved', 'per second', 'p50', 'p99', 'CPU'],
      saves.map((save) => [
        `concurrency ${save.concurrency}`,
        num(save.saved),
        num(save.perSecond),
        ms(save.latency.p50),
        ms(save.latency.p99),
        `${save.cpu.toFixed(0)}%`,
      ]),
    ),
  ].join('\n');
  const limitStep = top?.steps.find((step) => !step.passed && step.rate > (top.best?.rate ?? 0));
  const limits = [
    `${name} / ours: ${
      limitStep
        ? `at ${limitStep.rate} msg/s: ${limitStep.why} (server CPU ${limitStep.serverCpu.toFixed(0)}%, ` +
          `generator ${limitStep.generatorCpu.toFixed(0)}%, PostgreSQL ${limitStep.pgCpu.toFixed(0)}%, ` +
          `other processes ${limitStep.otherCpu.toFixed(0)}%)`
        : 'ramp bound reached'
    }`,
    `${name} / save(): one round trip after another (BEGIN, INSERT ... RETURNING, COMMIT), ` +
      `latency-bound, p99 ${ms(serialBest?.latency.p99)}`,
  ];
  return { name, rows, details, limits, raw: { ours, saves }, profiles };
}

async function runOurs(
  ctx: Context,
  spec: WritesSpec,
  ramp: RampSpec,
  round: number,
  options: ReturnType<Context['childOptions']>,
  url: string,
): Promise<MessagingResult> {
  await waitForQuiet(ctx.log);
  const server: ServerChild = await startServer('ours', options);
  let generator: Child | null = null;
  try {
    const plan = {
      prefix: `w${round}u`,
      users: spec.rooms * spec.roomSize,
      rooms: Array.from({ length: spec.rooms }, (_, r) => ({
        members: Array.from({ length: spec.roomSize }, (_, k) => r * spec.roomSize + k),
      })),
    };
    const seeded = await server.ipc.request<SeedResult>('seed', plan, 300_000);
    const task: MessagingTask = {
      target: { kind: 'ours', protocol: 'socketio', port: server.port },
      tokens: mintTokens(seeded.users),
      rooms: plan.rooms.map((room, r) => ({ roomId: seeded.roomIds[r], members: room.members })),
      senders: plan.rooms.flatMap((room, r) => room.members.map((m) => [m, r] as [number, number])),
      connectConcurrency: 50,
      connectDeadlineMs: 120_000,
      joinRooms: true,
      contentBytes: spec.contentBytes,
      ramp,
    };
    generator = await startGenerator(server, options, ctx.log);
    const budgetMs = 240_000 + ramp.maxSteps * (ramp.stepMs + ramp.drainMs + 2_000);
    const result: MessagingResult = await generator.ipc.request('messaging', task, budgetMs);
    ctx.log(
      `  ours: best ${result.best ? `${result.best.rate} msg/s` : 'none'} (${url.replace(/.*\//, '')})`,
    );
    return result;
  } catch (error) {
    throw new Error(
      `${spec.rooms}-room writes on ours failed: ${error instanceof Error ? error.message : String(error)}\n` +
        `server log:\n${tail(server.logFile)}`,
      { cause: error },
    );
  } finally {
    await generator?.stop();
    await server.stop();
  }
}
