/**
 * rest: the REST routes every client leans on, on our server and on the plain `node:http` server
 * of the Socket.IO baseline (same in-memory store, routes and answers), alternating by round.
 * Closed loop: `concurrency` keep-alive clients with tokens. Our server logs at the default level
 * here (LOG_LEVEL=log: an access line per request), as it runs by default.
 */
import { join } from 'node:path';
import {
  failedOn,
  startGenerator,
  startServer,
  type Child,
  type ServerChild,
} from '../lib/children';
import { Context, mintTokens, ratio, runOrder, ScenarioOutcome, SummaryRow } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { SERVER_LABEL, type SeedResult, type ServerKind } from '../lib/protocol';
import { ms, num, textTable } from '../lib/table';
import type { RestResult, RestRoute, RestRouteResult, RestTask } from '../lib/tasks';
import { median } from '../lib/util';

export interface RestSpec {
  /** Messages in the room whose history is paged. */
  messages: number;
  users: number;
  requestsPerRoute: number;
  warmupPerRoute: number;
  concurrency: number;
}

const TARGETS = { cpu: 3, p99: 2 };

export async function runRestScenario(ctx: Context, spec: RestSpec): Promise<ScenarioOutcome> {
  const name = 'rest';
  const results = new Map<ServerKind, RestResult[]>();
  const profiles: string[] = [];
  const order = runOrder(ctx).filter(([, kind]) => kind !== 'ws');
  for (const [round, kind] of order) {
    ctx.log(`${name}: round ${round}, ${SERVER_LABEL[kind]}`);
    const result = await runOne(ctx, spec, kind, profiles);
    results.set(kind, [...(results.get(kind) ?? []), result]);
  }
  return summarize(spec, results, profiles);
}

async function runOne(
  ctx: Context,
  spec: RestSpec,
  kind: ServerKind,
  profiles: string[],
): Promise<RestResult> {
  const options = ctx.childOptions('rest', { LOG_LEVEL: 'log' });
  await waitForQuiet(ctx.log);
  const server: ServerChild = await startServer(kind, options);
  let generator: Child | null = null;
  try {
    const members = Array.from({ length: spec.users }, (_, i) => i);
    const plan = {
      prefix: 'rest',
      users: spec.users,
      rooms: [{ members, messages: spec.messages }, { members }],
    };
    const seeded = await server.ipc.request<SeedResult>('seed', plan, 300_000);
    const [paged, quiet] = seeded.roomIds;
    const ids = seeded.messageIds[0]!;
    const routes: RestRoute[] = [
      {
        label: `GET /api/rooms/:id/messages?limit=50&before= (${num(spec.messages)} messages)`,
        method: 'GET',
        path: `/api/rooms/${paged}/messages?limit=50&before={before}`,
        before: { min: ids.min, max: ids.max },
        status: 200,
      },
      { label: 'GET /api/rooms', method: 'GET', path: '/api/rooms', status: 200 },
      {
        label: 'POST /api/rooms/:id/messages',
        method: 'POST',
        path: `/api/rooms/${quiet}/messages`,
        body: '{"content":"rest message {n}","client_msg_id":"rest-{n}"}',
        status: 201,
      },
    ];
    const task: RestTask = {
      port: server.port,
      tokens: mintTokens(seeded.users),
      routes,
      requestsPerRoute: spec.requestsPerRoute,
      warmupPerRoute: spec.warmupPerRoute,
      concurrency: spec.concurrency,
      deadlineMs: 300_000,
    };
    generator = await startGenerator(server, options, ctx.log);
    const result: RestResult = await generator.ipc.request('rest', task, 360_000);
    for (const route of result.routes) {
      if (route.errors > 0) {
        throw new Error(`${route.label}: ${route.errors} errors, first: ${route.firstError}`);
      }
    }
    return result;
  } catch (error) {
    throw failedOn(`rest on ${kind}`, server, error);
  } finally {
    await generator?.stop();
    await server.stop();
    if (options.profileDir) profiles.push(join(options.profileDir, kind));
  }
}

/** Per route, the median of the rounds. */
function medianOf(results: RestResult[], route: number, pick: (r: RestRouteResult) => number) {
  return median(results.map((result) => pick(result.routes[route])));
}

function summarize(
  spec: RestSpec,
  results: Map<ServerKind, RestResult[]>,
  profiles: string[],
): ScenarioOutcome {
  const ours = results.get('ours') ?? [];
  const baseline = results.get('socketio') ?? [];
  const labels = (ours[0] ?? baseline[0])?.routes.map((route) => route.label) ?? [];
  const rows: SummaryRow[] = [];
  const detail: string[][] = [];
  labels.forEach((label, r) => {
    const figure = (pick: (x: RestRouteResult) => number) => ({
      ours: medianOf(ours, r, pick),
      base: medianOf(baseline, r, pick),
    });
    const cpu = figure((x) => x.serverCpuUsPerRequest);
    const p50 = figure((x) => x.latency.p50);
    const p99 = figure((x) => x.latency.p99);
    const rate = figure((x) => x.perSecond);
    const cpuRatio = ratio(cpu.ours, cpu.base);
    const p99Ratio = ratio(p99.ours, p99.base);
    rows.push(
      {
        scenario: 'rest',
        metric: `${label}: server CPU per request`,
        ours: `${cpu.ours.toFixed(0)} µs`,
        baseline: `${cpu.base.toFixed(0)} µs`,
        ratio: cpuRatio,
        target: `<= ${TARGETS.cpu}x`,
        pass: cpuRatio !== null && cpuRatio <= TARGETS.cpu,
      },
      {
        scenario: 'rest',
        metric: `${label}: latency p99`,
        ours: ms(p99.ours),
        baseline: ms(p99.base),
        ratio: p99Ratio,
        target: `<= ${TARGETS.p99}x`,
        pass: p99Ratio !== null && p99Ratio <= TARGETS.p99,
      },
    );
    detail.push([
      label,
      `${num(Math.round(rate.ours))} / ${num(Math.round(rate.base))}`,
      `${cpu.ours.toFixed(0)} / ${cpu.base.toFixed(0)} µs`,
      `${ms(p50.ours)} / ${ms(p50.base)}`,
      `${ms(p99.ours)} / ${ms(p99.base)}`,
    ]);
  });
  const details =
    `${spec.concurrency} keep-alive clients in a closed loop, ${num(spec.requestsPerRoute)} ` +
    `requests per route and round, medians of ${ours.length} round(s); ours / plain node:http\n` +
    textTable(['route', 'requests/s', 'server CPU/request', 'p50', 'p99'], detail);
  return {
    name: 'rest',
    rows,
    details,
    limits: [],
    raw: { ours, baseline },
    profiles,
  };
}
