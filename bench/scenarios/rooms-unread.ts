/**
 * rooms-unread: GET /api/rooms on PostgreSQL for a reader who is a member of 200 private rooms
 * holding 1,000,000 messages in all (5,000 each, from other users, some naming the reader), read
 * up to a realistic point (most rooms 0 to 50 unread, a few over the 1,000 cap), against the same
 * call of a reader in 200 empty private rooms, on the same server, the two alternating by round.
 * Users, rooms, memberships and messages are bulk-loaded with SQL into a database migrated by our
 * server's own start. The target is the ratio of the two p99s.
 */
import { join } from 'node:path';
import { startGenerator, startServer, tail, type Child, type ServerChild } from '../lib/children';
import { Context, mintTokens, ratio, ScenarioOutcome, SummaryRow } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { createDatabase, dropDatabase, withClient } from '../lib/pg';
import type { SeededUser, UnreadSeedPlan, UnreadSeedResult } from '../lib/protocol';
import { ms, num, textTable } from '../lib/table';
import type { RestResult, RestRouteResult, RestTask } from '../lib/tasks';

export interface RoomsUnreadSpec {
  /** Rooms of each reader. */
  rooms: number;
  /** Messages in each of the busy reader's rooms. */
  messagesPerRoom: number;
  /** The other members, who sent every message. */
  senders: number;
  requestsPerRound: number;
  warmupPerRound: number;
  concurrency: number;
  /** Also measure the in-memory store. */
  memory: boolean;
}

const TARGET = 2;
const BUSY = 'busy rooms';
const EMPTY = 'empty rooms';
/** Every this many messages names the busy reader. */
const MENTION_EVERY = 37;

/**
 * Unread messages left in busy room `r`: 0 to 50 in most, more than the 1,000 cap in one room of
 * 50 (one never read at all).
 */
export function unreadOf(r: number, perRoom: number): number {
  if (r % 50 === 7) return r === 7 ? perRoom : 1_200 + ((r * 211) % 2_500);
  return (r * 13) % 51;
}

interface Loaded {
  busy: SeededUser;
  empty: SeededUser;
  loadSeconds: number;
  messages: number;
  mentions: number;
}

interface Listed {
  rooms: number;
  unread: number;
  capped: number;
  mentions: number;
}

type Store = 'PostgreSQL' | 'in memory';

interface StoreRun {
  store: Store;
  loaded: Loaded;
  listed: { busy: Listed; empty: Listed };
  rounds: RestResult[];
}

export async function runRoomsUnreadScenario(
  ctx: Context,
  spec: RoomsUnreadSpec,
): Promise<ScenarioOutcome> {
  const name = 'rooms unread';
  const runs: StoreRun[] = [];
  const profiles: string[] = [];
  const dbName = `chat_bench_${ctx.runTag}_unread`;
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
  spec: RoomsUnreadSpec,
  store: Store,
  url: string | null,
  profiles: string[],
): Promise<StoreRun> {
  const options = ctx.childOptions(
    `rooms-unread-${url ? 'pg' : 'memory'}`,
    url ? { DATABASE_URL: url } : {},
  );
  let server: ServerChild | null = null;
  let generator: Child | null = null;
  try {
    ctx.log(`rooms unread (${store}): starting our server`);
    server = await startServer('ours', options);
    ctx.log(
      `  loading ${spec.rooms} + ${spec.rooms} rooms, ` +
        `${num(spec.rooms * spec.messagesPerRoom)} messages ...`,
    );
    const loaded = url ? await bulkLoad(url, spec) : await memoryLoad(server, spec);
    ctx.log(`  loaded in ${loaded.loadSeconds.toFixed(1)} s (${num(loaded.mentions)} mentions)`);
    const [busyToken, emptyToken] = mintTokens(
      await server.ipc.request<SeededUser[]>('sign-in', [loaded.busy, loaded.empty], 60_000),
    );
    const listed = {
      busy: await listing(server.port, busyToken),
      empty: await listing(server.port, emptyToken),
    };
    ctx.log(
      `  GET /api/rooms: busy reader ${listed.busy.rooms} member rooms, ${num(listed.busy.unread)} ` +
        `unread (${listed.busy.capped} at the cap), ${listed.busy.mentions} mentions; ` +
        `empty reader ${listed.empty.rooms} member rooms, ${listed.empty.unread} unread`,
    );
    if (listed.busy.rooms !== spec.rooms || listed.empty.rooms !== spec.rooms) {
      throw new Error('the listings do not hold the seeded rooms');
    }

    generator = await startGenerator(server, options, ctx.log);
    const route = (label: string, token: string) => ({
      label,
      method: 'GET' as const,
      path: '/api/rooms',
      status: 200,
      token,
    });
    const rounds: RestResult[] = [];
    for (let round = 1; round <= Math.max(2, ctx.rounds); round++) {
      await waitForQuiet(ctx.log);
      const routes = [route(BUSY, busyToken), route(EMPTY, emptyToken)];
      if (round % 2 === 0) routes.reverse();
      const task: RestTask = {
        port: server.port,
        tokens: [busyToken],
        routes,
        requestsPerRoute: spec.requestsPerRound,
        warmupPerRoute: spec.warmupPerRound,
        concurrency: spec.concurrency,
        deadlineMs: 300_000,
        interleave: 50,
      };
      const result = await generator.ipc.request<RestResult>('rest', task, 360_000);
      for (const item of result.routes) {
        if (item.errors > 0) {
          throw new Error(`${item.label}: ${item.errors} errors, first: ${item.firstError}`);
        }
      }
      const [busy, empty] = [of(result, BUSY), of(result, EMPTY)];
      ctx.log(
        `  round ${round}: p99 ${ms(busy.latency.p99)} busy, ${ms(empty.latency.p99)} empty; ` +
          `p50 ${ms(busy.latency.p50)} / ${ms(empty.latency.p50)}`,
      );
      rounds.push(result);
    }
    return { store, loaded, listed, rounds };
  } catch (error) {
    const log = server ? `\nserver log:\n${tail(server.logFile)}` : '';
    throw new Error(
      `rooms unread (${store}) failed: ` +
        `${error instanceof Error ? error.message : String(error)}${log}`,
      { cause: error },
    );
  } finally {
    await generator?.stop();
    await server?.stop();
    if (options.profileDir) profiles.push(join(options.profileDir, 'ours'));
  }
}

/** In memory: the same load through the app's own repositories (servers/unread-seed.ts). */
async function memoryLoad(server: ServerChild, spec: RoomsUnreadSpec): Promise<Loaded> {
  const started = performance.now();
  const plan: UnreadSeedPlan = {
    rooms: spec.rooms,
    perRoom: spec.messagesPerRoom,
    senders: spec.senders,
    mentionEvery: MENTION_EVERY,
    unread: Array.from({ length: spec.rooms }, (_, r) => unreadOf(r, spec.messagesPerRoom)),
  };
  const seeded = await server.ipc.request<UnreadSeedResult>('seed-unread', plan, 600_000);
  return { ...seeded, loadSeconds: (performance.now() - started) / 1000 };
}

/**
 * The readers and senders, two sets of private rooms (created by a sender, so both readers are
 * plain members), every sender in every room; the busy rooms' messages interleaved as real
 * traffic would be, some naming the busy reader (the triggers fill message_mentions), then the
 * busy reader's positions moved back to leave `unreadOf` messages unread.
 */
async function bulkLoad(url: string, spec: RoomsUnreadSpec): Promise<Loaded> {
  const started = performance.now();
  return withClient(url, async (client) => {
    const users = await client.query<{ id: number; username: string }>(
      `INSERT INTO users (username, password_hash)
       SELECT CASE g WHEN 0 THEN 'ru_busy' WHEN 1 THEN 'ru_empty' ELSE 'ru_s' || g END,
              'bench-seeded-user-no-login'
       FROM generate_series(0, $1::int + 1) g ORDER BY g
       RETURNING id, username`,
      [spec.senders],
    );
    const [busy, empty, ...senders] = users.rows;
    const senderIds = senders.map((user) => user.id);
    const makeRooms = async (prefix: string, reader: number) => {
      const rooms = await client.query<{ id: number }>(
        `INSERT INTO rooms (name, description, is_private, created_by)
         SELECT $1 || g, '', true, $2::int FROM generate_series(1, $3::int) g ORDER BY g
         RETURNING id`,
        [prefix, senderIds[0], spec.rooms],
      );
      const ids = rooms.rows.map((row) => row.id);
      await client.query(
        `INSERT INTO room_members (room_id, user_id)
         SELECT r, u FROM unnest($1::int[]) r, unnest($2::int[]) u`,
        [ids, [reader, ...senderIds]],
      );
      return ids;
    };
    const busyRooms = await makeRooms('ru-busy-', busy.id);
    await makeRooms('ru-empty-', empty.id);
    const total = spec.rooms * spec.messagesPerRoom;
    await client.query(
      `INSERT INTO messages (room_id, user_id, content, mentions, created_at)
       SELECT ($1::int[])[1 + g % $3::int],
              ($2::int[])[1 + (g / $3::int) % array_length($2::int[], 1)],
              'unread message ' || g || ' ' || repeat('x', 60),
              CASE WHEN g % $5::int = 0 THEN ARRAY[$6::int]
                   WHEN g % 11 = 0 THEN ARRAY[($2::int[])[1]]
                   ELSE '{}'::int[] END,
              now() - make_interval(secs => ($4::int - g) / 100.0)
       FROM generate_series(0, $4::int - 1) g`,
      [busyRooms, senderIds, spec.rooms, total, MENTION_EVERY, busy.id],
    );
    const unread = busyRooms.map((_, r) => unreadOf(r, spec.messagesPerRoom));
    await client.query(
      `UPDATE room_members rm SET last_read_id = coalesce(
         (SELECT m.id FROM messages m WHERE m.room_id = rm.room_id
          ORDER BY m.id DESC OFFSET t.unread LIMIT 1), 0)
       FROM unnest($1::int[], $2::int[]) AS t(room_id, unread)
       WHERE rm.room_id = t.room_id AND rm.user_id = $3`,
      [busyRooms, unread, busy.id],
    );
    for (const table of ['messages', 'message_mentions', 'room_members', 'rooms', 'users']) {
      await client.query(`VACUUM ANALYZE ${table}`);
    }
    const mentions = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM message_mentions WHERE user_id = $1',
      [busy.id],
    );
    return {
      busy,
      empty,
      loadSeconds: (performance.now() - started) / 1000,
      messages: total,
      mentions: Number(mentions.rows[0].n),
    };
  });
}

/** The reader's own rooms in GET /api/rooms, with their counts. */
async function listing(port: number, token: string): Promise<Listed> {
  const response = await fetch(`http://127.0.0.1:${port}/api/rooms`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`GET /api/rooms: HTTP ${response.status}`);
  const rooms = (await response.json()) as {
    is_member: boolean;
    unread_count: number | null;
    mention_count: number | null;
  }[];
  const own = rooms.filter((room) => room.is_member);
  return {
    rooms: own.length,
    unread: own.reduce((sum, room) => sum + (room.unread_count ?? 0), 0),
    capped: own.filter((room) => (room.unread_count ?? 0) >= 1_000).length,
    mentions: own.reduce((sum, room) => sum + (room.mention_count ?? 0), 0),
  };
}

function of(result: RestResult, label: string): RestRouteResult {
  return result.routes.find((route) => route.label === label)!;
}

/** The lowest of the rounds (a stall of the machine moves one round). */
function lowest(rounds: RestResult[], label: string, pick: 'p50' | 'p99'): number {
  return Math.min(...rounds.map((result) => of(result, label).latency[pick]));
}

function summarize(
  name: string,
  spec: RoomsUnreadSpec,
  runs: StoreRun[],
  profiles: string[],
): ScenarioOutcome {
  const rows: SummaryRow[] = runs.flatMap(({ store, rounds }) => {
    const p99 = ratio(lowest(rounds, BUSY, 'p99'), lowest(rounds, EMPTY, 'p99'));
    return [
      {
        scenario: name,
        metric:
          `${store}: GET /api/rooms p99, member of ${spec.rooms} rooms of ` +
          `${num(spec.messagesPerRoom)} messages (read to 0-50 unread, a few over the cap) vs ` +
          `${spec.rooms} empty rooms (lowest round)`,
        ours: ms(lowest(rounds, BUSY, 'p99')),
        baseline: ms(lowest(rounds, EMPTY, 'p99')),
        ratio: p99,
        target: `<= ${TARGET}x`,
        pass: p99 !== null && p99 <= TARGET,
      },
      {
        scenario: name,
        metric: `${store}: GET /api/rooms p50, same readers`,
        ours: ms(lowest(rounds, BUSY, 'p50')),
        baseline: ms(lowest(rounds, EMPTY, 'p50')),
        ratio: ratio(lowest(rounds, BUSY, 'p50'), lowest(rounds, EMPTY, 'p50')),
        target: 'info',
        pass: null,
      },
    ];
  });
  const table = runs.flatMap(({ store, rounds }) =>
    rounds.flatMap((result, i) =>
      result.routes.map((route) => [
        store,
        String(i + 1),
        route.label,
        String(route.requests),
        ms(route.latency.p50),
        ms(route.latency.p99),
        ms(route.latency.max),
        `${ratio(route.latency.p99, of(result, EMPTY).latency.p99)?.toFixed(2)}x`,
        `${num(route.serverCpuUsPerRequest)} µs`,
        `${num(route.pgCpuUsPerRequest)} µs`,
        `${route.serverCpu.toFixed(0)}%`,
        `${route.pgCpu.toFixed(0)}%`,
        `${route.generatorCpu.toFixed(0)}%`,
        `${route.otherCpu.toFixed(0)}%`,
      ]),
    ),
  );
  const loads = runs.map(
    ({ store, loaded, listed }) =>
      `${store}: ${num(loaded.messages)} messages (${num(loaded.mentions)} naming the reader) ` +
      `loaded in ${loaded.loadSeconds.toFixed(1)} s; the listing shows ${num(listed.busy.unread)} ` +
      `unread (${listed.busy.capped} rooms at the 1,000 cap) and ${num(listed.busy.mentions)} ` +
      `unread mentions`,
  );
  const details = [
    `Our server; two readers, each a member of ${spec.rooms} private rooms with ` +
      `${spec.senders} other members. The busy reader's rooms hold ` +
      `${num(spec.messagesPerRoom)} messages each, interleaved, from the other members, 1 in ` +
      `${MENTION_EVERY} naming the reader; the empty reader's rooms hold nothing. ` +
      `${loads.join('; ')}. Per round and reader ${spec.requestsPerRound} measured requests ` +
      `after ${spec.warmupPerRound} warm-up ones, ${spec.concurrency} in flight, closed loop, ` +
      `the readers alternating in blocks of 50 (the first alternates by round); CPU figures are ` +
      `those of the mix (server and the bench's PostgreSQL backends, per request).`,
    textTable(
      [
        'store',
        'round',
        'reader',
        'requests',
        'p50',
        'p99',
        'max',
        'p99 / empty',
        'srv CPU/req',
        'PG CPU/req',
        'srv CPU',
        'PG CPU',
        'gen CPU',
        'other CPU',
      ],
      table,
    ),
  ].join('\n');
  const limits = runs.map(({ store, rounds }) => {
    const last = of(rounds[rounds.length - 1], BUSY);
    return (
      `${name} (${store}): ${spec.concurrency} requests in flight through the HTTP stack, the ` +
      `listing and the unread counts; server CPU ${last.serverCpu.toFixed(0)}%, PostgreSQL ` +
      `${last.pgCpu.toFixed(0)}%, other processes ${last.otherCpu.toFixed(0)}% (last round)`
    );
  });
  return { name, rows, details, limits, raw: { spec, runs }, profiles };
}
