/**
 * history with reactions: GET /api/rooms/:id/messages?limit=50&before=<random> in two rooms of the
 * same size on the same server, one where every message carries reactions (3 to 5 emoji by 1 to 4
 * users each, `seededReactions`) and one without any. On PostgreSQL (bulk-loaded into a database
 * migrated by our server's own start) and in memory (seeded through the store's own create and
 * change). The target is the ratio of the two p99s.
 */
import { join } from 'node:path';
import { startGenerator, startServer, tail, type Child, type ServerChild } from '../lib/children';
import { Context, ratio, ScenarioOutcome, SummaryRow } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { createDatabase, dropDatabase, withClient } from '../lib/pg';
import { seededReactions, type SeedPlan, type SeedResult } from '../lib/protocol';
import { ms, num, textTable } from '../lib/table';
import type { HistoryResult, HistoryTask } from '../lib/tasks';

export interface HistoryReactionsSpec {
  /** Messages in each of the two rooms. */
  messages: number;
  /** Members of both rooms; the reactions come from them. */
  users: number;
  requestsPerRoom: number;
  warmupPerRoom: number;
  concurrency: number;
  /** Also measure the in-memory store. */
  memory: boolean;
}

type Store = 'PostgreSQL' | 'in memory';
const TARGET = 1.3;
const PLAIN = 'no reactions';
const REACTED = 'reactions on every message';

interface StoreRun {
  store: Store;
  /** One per round; rooms in the order [PLAIN, REACTED]. */
  rounds: HistoryResult[];
  reactions: number;
  loadSeconds: number;
}

export async function runHistoryReactionsScenario(
  ctx: Context,
  spec: HistoryReactionsSpec,
): Promise<ScenarioOutcome> {
  const name = 'history with reactions';
  const runs: StoreRun[] = [];
  const profiles: string[] = [];
  const dbName = `chat_bench_${ctx.runTag}_histreact`;
  const url = await createDatabase(dbName);
  try {
    runs.push(await runStore(ctx, spec, 'PostgreSQL', url, profiles));
  } finally {
    await dropDatabase(dbName).catch((error: unknown) =>
      ctx.log(`  could not drop ${dbName}: ${String(error)}`),
    );
  }
  if (spec.memory) runs.push(await runStore(ctx, spec, 'in memory', null, profiles));
  return summarize(name, spec, runs, profiles);
}

async function runStore(
  ctx: Context,
  spec: HistoryReactionsSpec,
  store: Store,
  url: string | null,
  profiles: string[],
): Promise<StoreRun> {
  const options = ctx.childOptions(
    `history-reactions-${store === 'PostgreSQL' ? 'pg' : 'memory'}`,
    url ? { DATABASE_URL: url } : {},
  );
  let server: ServerChild | null = null;
  let generator: Child | null = null;
  try {
    ctx.log(`history with reactions (${store}): starting our server`);
    server = await startServer('ours', options);
    const members = Array.from({ length: spec.users }, (_, i) => i);
    const loadStarted = performance.now();
    // In memory, the store's own create and change seed every message and reaction; on
    // PostgreSQL, users and rooms only, the messages and reactions are bulk-loaded below.
    const plan: SeedPlan = {
      prefix: 'hr',
      users: spec.users,
      rooms: url
        ? [{ members }, { members }]
        : [
            { members, messages: spec.messages },
            { members, messages: spec.messages, reactions: true },
          ],
    };
    ctx.log(`  seeding 2 rooms of ${num(spec.messages)} messages ...`);
    const seeded = await server.ipc.request<SeedResult>('seed', plan, 600_000);
    const userIds = seeded.users.map((user) => user.id);
    const [plainId, reactedId] = seeded.roomIds;
    let bounds: { min: number; max: number }[];
    let reactions = 0;
    if (url) {
      ({ bounds, reactions } = await bulkLoad(url, spec, userIds, plainId, reactedId));
    } else {
      bounds = seeded.messageIds.map((ids) => ids!);
      for (let i = 0; i < spec.messages; i++) {
        for (const group of seededReactions(i, spec.users)) reactions += group.members.length;
      }
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    ctx.log(`  loaded in ${loadSeconds.toFixed(1)} s (${num(reactions)} reactions)`);

    generator = await startGenerator(server, options, ctx.log);
    const task: HistoryTask = {
      port: server.port,
      rooms: [
        { label: PLAIN, roomId: plainId, minId: bounds[0].min, maxId: bounds[0].max },
        { label: REACTED, roomId: reactedId, minId: bounds[1].min, maxId: bounds[1].max },
      ],
      limit: 50,
      requestsPerRoom: spec.requestsPerRoom,
      warmupPerRoom: spec.warmupPerRoom,
      concurrency: spec.concurrency,
      deadlineMs: 240_000,
    };
    const rounds: HistoryResult[] = [];
    for (let round = 1; round <= ctx.rounds; round++) {
      await waitForQuiet(ctx.log);
      const result = await generator.ipc.request<HistoryResult>('history', task, 300_000);
      for (const room of result.rooms) {
        if (room.errors > 0) {
          throw new Error(`${room.label}: ${room.errors} errors, first: ${room.firstError}`);
        }
      }
      const [plain, reacted] = result.rooms;
      ctx.log(
        `  round ${round}: p99 ${ms(reacted.latency.p99)} with reactions, ` +
          `${ms(plain.latency.p99)} without`,
      );
      rounds.push(result);
    }
    return { store, rounds, reactions, loadSeconds };
  } catch (error) {
    const log = server ? `\nserver log:\n${tail(server.logFile)}` : '';
    throw new Error(
      `history with reactions (${store}) failed: ` +
        `${error instanceof Error ? error.message : String(error)}${log}`,
      { cause: error },
    );
  } finally {
    await generator?.stop();
    await server?.stop();
    if (options.profileDir) profiles.push(join(options.profileDir, 'ours'));
  }
}

/**
 * Messages of both rooms interleaved as real traffic would be, then the reactions of every
 * message of the reacted room as rows, each by a member (`seededReactions`, as in memory).
 */
async function bulkLoad(
  url: string,
  spec: HistoryReactionsSpec,
  userIds: number[],
  plainId: number,
  reactedId: number,
): Promise<{ bounds: { min: number; max: number }[]; reactions: number }> {
  return withClient(url, async (client) => {
    await client.query(
      `INSERT INTO messages (room_id, user_id, content, created_at)
       SELECT CASE WHEN g % 2 = 0 THEN $1::int ELSE $2::int END,
              ($3::int[])[1 + (g / 2) % array_length($3::int[], 1)],
              'history message ' || g || ' ' || repeat('x', 60),
              now() - make_interval(secs => ($4::int - g) / 10.0)
       FROM generate_series(1, $4::int) g`,
      [plainId, reactedId, userIds, spec.messages * 2],
    );
    const ids = await client.query<{ id: string }>(
      'SELECT id FROM messages WHERE room_id = $1 ORDER BY id',
      [reactedId],
    );
    const rows = { messageId: [] as number[], userId: [] as number[], emoji: [] as string[] };
    const position: number[] = [];
    const seq: number[] = [];
    ids.rows.forEach((row, i) => {
      let lastSeq = 0;
      seededReactions(i, spec.users).forEach((group, p) => {
        for (const member of group.members) {
          rows.messageId.push(Number(row.id));
          rows.userId.push(userIds[member]);
          rows.emoji.push(group.emoji);
          position.push(p);
          seq.push(++lastSeq);
        }
      });
    });
    await client.query(
      `INSERT INTO message_reactions (message_id, user_id, emoji, position, seq)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::int[])`,
      [rows.messageId, rows.userId, rows.emoji, position, seq],
    );
    await client.query('VACUUM ANALYZE messages');
    await client.query('VACUUM ANALYZE message_reactions');
    const stats = await client.query<{ room_id: number; min: string; max: string }>(
      `SELECT room_id, min(id) AS min, max(id) AS max FROM messages
       WHERE room_id IN ($1, $2) GROUP BY room_id`,
      [plainId, reactedId],
    );
    const of = (id: number) => {
      const row = stats.rows.find((item) => item.room_id === id)!;
      return { min: Number(row.min), max: Number(row.max) };
    };
    return { bounds: [of(plainId), of(reactedId)], reactions: rows.messageId.length };
  });
}

/** The lowest of the rounds (a stall of the machine moves one round). */
function lowest(run: StoreRun, room: number, pick: 'p50' | 'p99'): number {
  return Math.min(...run.rounds.map((result) => result.rooms[room].latency[pick]));
}

function summarize(
  name: string,
  spec: HistoryReactionsSpec,
  runs: StoreRun[],
  profiles: string[],
): ScenarioOutcome {
  const rows: SummaryRow[] = runs.flatMap((run) => {
    const p99 = ratio(lowest(run, 1, 'p99'), lowest(run, 0, 'p99'));
    // The rooms share one closed loop, so each room's own rate is what its latency allows:
    // requests in flight / mean latency.
    const perSecond = (room: number) =>
      Math.max(
        ...run.rounds.map((result) => (spec.concurrency / result.rooms[room].latency.mean) * 1000),
      );
    return [
      {
        scenario: name,
        metric:
          `${run.store}: history p99 with reactions vs without (${num(spec.messages)} ` +
          `messages each, limit=50, random before; lowest round)`,
        ours: ms(lowest(run, 1, 'p99')),
        baseline: ms(lowest(run, 0, 'p99')),
        ratio: p99,
        target: `<= ${TARGET}x`,
        pass: p99 !== null && p99 <= TARGET,
      },
      {
        scenario: name,
        metric: `${run.store}: history p50, same rooms`,
        ours: ms(lowest(run, 1, 'p50')),
        baseline: ms(lowest(run, 0, 'p50')),
        ratio: ratio(lowest(run, 1, 'p50'), lowest(run, 0, 'p50')),
        target: 'info',
        pass: null,
      },
      {
        scenario: name,
        metric: `${run.store}: history requests/s, same rooms (${spec.concurrency} in flight / mean latency)`,
        ours: num(perSecond(1)),
        baseline: num(perSecond(0)),
        ratio: ratio(perSecond(1), perSecond(0)),
        target: 'info',
        pass: null,
      },
    ];
  });
  const table = runs.flatMap((run) =>
    run.rounds.flatMap((result, i) =>
      result.rooms.map((room) => [
        run.store,
        String(i + 1),
        room.label,
        String(room.requests),
        ms(room.latency.p50),
        ms(room.latency.p99),
        ms(room.latency.max),
        num((spec.concurrency / room.latency.mean) * 1000),
        `${result.generatorCpu.toFixed(0)}%`,
        `${result.serverCpu.toFixed(0)}%`,
        `${result.pgCpu.toFixed(0)}%`,
        `${result.otherCpu.toFixed(0)}%`,
      ]),
    ),
  );
  const details = [
    `Our server; two public rooms of ${num(spec.messages)} messages each, interleaved; in one, ` +
      `every message has 3 to 5 emoji by 1 to 4 of the rooms' ${spec.users} members each ` +
      `(${runs.map((run) => `${num(run.reactions)} reactions, loaded in ${run.loadSeconds.toFixed(1)} s ${run.store}`).join('; ')}). ` +
      `${spec.requestsPerRoom} measured requests per room and round after ${spec.warmupPerRoom} ` +
      `warm-up ones, ${spec.concurrency} in flight, closed loop, the rooms alternating in blocks of 50.`,
    textTable(
      [
        'store',
        'round',
        'room',
        'requests',
        'p50',
        'p99',
        'max',
        `req/s (${spec.concurrency}/mean)`,
        'gen CPU',
        'srv CPU',
        'PG CPU',
        'other CPU',
      ],
      table,
    ),
  ].join('\n');
  const limits = runs.map((run) => {
    const last = run.rounds[run.rounds.length - 1];
    return (
      `${name} (${run.store}): ${spec.concurrency} requests in flight through the HTTP stack and ` +
      `the page query; server CPU ${last.serverCpu.toFixed(0)}%, PostgreSQL ` +
      `${last.pgCpu.toFixed(0)}%, generator ${last.generatorCpu.toFixed(0)}%, other processes ` +
      `${last.otherCpu.toFixed(0)}% (last round)`
    );
  });
  return { name, rows, details, limits, raw: { spec, runs }, profiles };
}
