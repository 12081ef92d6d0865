/**
 * history: GET /api/rooms/:id/messages?limit=50&before=<random> on our server with PostgreSQL, in a
 * room of 10,000 messages and one of 1,000,000 (bulk-loaded with INSERT ... SELECT generate_series
 * into a database migrated by our server's own start). The target is a ratio of the two p99s.
 */
import { join } from 'node:path';
import { startGenerator, startServer, tail, type Child, type ServerChild } from '../lib/children';
import { Context, ratio, ScenarioOutcome } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { createDatabase, dropDatabase, withClient } from '../lib/pg';
import { ms, num, textTable } from '../lib/table';
import type { HistoryResult, HistoryTask } from '../lib/tasks';

export interface HistorySpec {
  small: number;
  big: number;
  requestsPerRoom: number;
  warmupPerRoom: number;
  concurrency: number;
}

export async function runHistoryScenario(
  ctx: Context,
  spec: HistorySpec,
): Promise<ScenarioOutcome> {
  const name = 'history';
  if ((spec.small + spec.big) % spec.small !== 0)
    throw new Error('big must be a multiple of small');
  const dbName = `chat_bench_${ctx.runTag}_history`;
  const url = await createDatabase(dbName);
  const options = ctx.childOptions(name, { DATABASE_URL: url });
  let server: ServerChild | null = null;
  let generator: Child | null = null;
  const profiles: string[] = [];
  try {
    ctx.log(`${name}: migrating ${dbName} by starting our server`);
    server = await startServer('ours', options);
    const total = spec.small + spec.big;
    const every = total / spec.small;
    const loadStarted = performance.now();
    const rooms = await withClient(url, async (client) => {
      const users = await client.query<{ id: number }>(
        `INSERT INTO users (username, password_hash)
         SELECT 'hist' || g, 'bench-seeded-user-no-login' FROM generate_series(1, 100) g
         RETURNING id`,
      );
      const firstUser = Math.min(...users.rows.map((row) => row.id));
      const made = await client.query<{ id: number; name: string }>(
        `INSERT INTO rooms (name, description) VALUES ('bench-small', ''), ('bench-big', '')
         RETURNING id, name`,
      );
      const small = made.rows.find((row) => row.name === 'bench-small')!.id;
      const big = made.rows.find((row) => row.name === 'bench-big')!.id;
      ctx.log(`  loading ${num(spec.small)} + ${num(spec.big)} messages (interleaved) ...`);
      // Interleaved as real traffic would be: every `every`-th message goes to the small room.
      await client.query(
        `INSERT INTO messages (room_id, user_id, content, created_at)
         SELECT CASE WHEN g % $1 = 0 THEN $2::int ELSE $3::int END,
                $4::int + (g % 100),
                'history message ' || g || ' ' || repeat('x', 60),
                now() - make_interval(secs => ($5::int - g) / 10.0)
         FROM generate_series(1, $5::int) g`,
        [every, small, big, firstUser, total],
      );
      await client.query('VACUUM ANALYZE messages');
      const stats = await client.query<{ room_id: number; min: string; max: string; n: string }>(
        `SELECT room_id, min(id) AS min, max(id) AS max, count(*) AS n FROM messages
         WHERE room_id IN ($1, $2) GROUP BY room_id`,
        [small, big],
      );
      const of = (id: number) => stats.rows.find((row) => row.room_id === id)!;
      return [
        { label: `${num(Number(of(small).n))} messages`, roomId: small, row: of(small) },
        { label: `${num(Number(of(big).n))} messages`, roomId: big, row: of(big) },
      ];
    });
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    ctx.log(`  loaded in ${loadSeconds.toFixed(1)} s`);

    await waitForQuiet(ctx.log);
    generator = await startGenerator(server, options, ctx.log);
    const task: HistoryTask = {
      port: server.port,
      rooms: rooms.map((room) => ({
        label: room.label,
        roomId: room.roomId,
        minId: Number(room.row.min),
        maxId: Number(room.row.max),
      })),
      limit: 50,
      requestsPerRoom: spec.requestsPerRoom,
      warmupPerRoom: spec.warmupPerRoom,
      concurrency: spec.concurrency,
      deadlineMs: 240_000,
    };
    const result: HistoryResult = await generator.ipc.request('history', task, 300_000);
    const [small, big] = result.rooms;
    for (const room of result.rooms) {
      if (room.errors > 0)
        throw new Error(`history: ${room.errors} errors, first: ${room.firstError}`);
    }
    const p99Ratio = ratio(big.latency.p99, small.latency.p99);
    const rows = [
      {
        scenario: name,
        metric: `history p99, room of ${big.label} vs ${small.label} (limit=50, random before)`,
        ours: ms(big.latency.p99),
        baseline: ms(small.latency.p99),
        ratio: p99Ratio,
        target: '<= 1.3x',
        pass: p99Ratio !== null && p99Ratio <= 1.3,
      },
      {
        scenario: name,
        metric: 'history p50, same rooms',
        ours: ms(big.latency.p50),
        baseline: ms(small.latency.p50),
        ratio: ratio(big.latency.p50, small.latency.p50),
        target: 'info',
        pass: null,
      },
    ];
    const details = [
      `Our server on PostgreSQL; ${spec.requestsPerRoom} measured requests per room after ` +
        `${spec.warmupPerRoom} warm-up ones, ${spec.concurrency} in flight, rooms interleaved in ` +
        `blocks of 50. Bulk load of ${num(spec.small + spec.big)} rows: ${loadSeconds.toFixed(1)} s.`,
      textTable(
        [
          'room',
          'requests',
          'p50',
          'p99',
          'max',
          'mean',
          'req/s',
          'gen CPU',
          'srv CPU',
          'PG CPU',
          'other CPU',
        ],
        result.rooms.map((room) => [
          room.label,
          String(room.requests),
          ms(room.latency.p50),
          ms(room.latency.p99),
          ms(room.latency.max),
          ms(room.latency.mean),
          num(room.perSecond),
          `${result.generatorCpu.toFixed(0)}%`,
          `${result.serverCpu.toFixed(0)}%`,
          `${result.pgCpu.toFixed(0)}%`,
          `${result.otherCpu.toFixed(0)}%`,
        ]),
      ),
    ].join('\n');
    const limits = [
      `${name}: ${spec.concurrency} requests in flight through the whole HTTP stack (Nest pipeline, ` +
        `room visibility query, page query); server CPU ${result.serverCpu.toFixed(0)}%, PostgreSQL ` +
        `${result.pgCpu.toFixed(0)}%, generator ${result.generatorCpu.toFixed(0)}%, other processes ` +
        `${result.otherCpu.toFixed(0)}%`,
    ];
    return { name, rows, details, limits, raw: { spec, result, loadSeconds }, profiles };
  } catch (error) {
    const log = server ? `\nserver log:\n${tail(server.logFile)}` : '';
    throw new Error(
      `${name} failed: ${error instanceof Error ? error.message : String(error)}${log}`,
      { cause: error },
    );
  } finally {
    await generator?.stop();
    await server?.stop();
    if (options.profileDir) profiles.push(join(options.profileDir, 'ours'));
    await dropDatabase(dbName).catch((error: unknown) =>
      ctx.log(`  could not drop ${dbName}: ${String(error)}`),
    );
  }
}
