/** connections: N sockets per server; connect rate and server memory per connection after GC. */
import { join } from 'node:path';
import { startGenerator, startServer, type Child } from '../lib/children';
import { Context, mintTokens, ratio, runOrder, ScenarioOutcome } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { MemorySample, PROTOCOL_OF, SERVER_LABEL, ServerKind } from '../lib/protocol';
import type { SeedResult } from '../lib/protocol';
import { ms, num, textTable } from '../lib/table';
import type { ConnectionsResult, ConnectionsTask } from '../lib/tasks';

interface Run {
  round: number;
  result: ConnectionsResult;
  before: MemorySample;
  connected: MemorySample;
  afterClose: MemorySample;
}

const KIB = 1024;
const heap = (sample: MemorySample) => sample.heapUsed + sample.external;

function perConnection(run: Run, pick: (sample: MemorySample) => number): number {
  return (pick(run.connected) - pick(run.before)) / Math.max(1, run.result.sockets);
}

export async function runConnectionsScenario(
  ctx: Context,
  sockets: number,
  roomSize: number,
): Promise<ScenarioOutcome> {
  const name = 'connections';
  const plan = {
    prefix: 'c',
    users: sockets,
    rooms: Array.from({ length: Math.ceil(sockets / roomSize) }, (_, r) => ({
      members: Array.from({ length: roomSize }, (_, k) => r * roomSize + k).filter(
        (i) => i < sockets,
      ),
    })),
  };
  const runs = new Map<ServerKind, Run[]>();
  const profiles: string[] = [];
  for (const [round, kind] of runOrder(ctx)) {
    ctx.log(`${name}: round ${round}, ${SERVER_LABEL[kind]}`);
    const options = ctx.childOptions(name);
    await waitForQuiet(ctx.log);
    const server = await startServer(kind, options);
    let generator: Child | null = null;
    try {
      const seeded = await server.ipc.request<SeedResult>('seed', plan, 300_000);
      const before: MemorySample = await server.ipc.request('mem', null, 60_000);
      generator = await startGenerator(server, options, ctx.log);
      const task: ConnectionsTask = {
        target: { kind, protocol: PROTOCOL_OF[kind], port: server.port },
        tokens: mintTokens(seeded.users),
        concurrency: 50,
        deadlineMs: 180_000,
      };
      const answer = await generator.ipc.request<{
        result: ConnectionsResult;
        connected: MemorySample;
        afterClose: MemorySample;
      }>('connections', task, 300_000);
      const run: Run = { round, before, ...answer };
      runs.set(kind, [...(runs.get(kind) ?? []), run]);
      ctx.log(
        `  ${kind}: ${run.result.sockets} sockets in ${(run.result.elapsedMs / 1000).toFixed(1)} s ` +
          `(${num(run.result.perSecond)}/s), ${(perConnection(run, heap) / KIB).toFixed(1)} KiB ` +
          `heap+external and ${(perConnection(run, (s) => s.rss) / KIB).toFixed(1)} KiB RSS per socket`,
      );
    } finally {
      await generator?.stop();
      await server.stop();
      if (options.profileDir) profiles.push(join(options.profileDir, kind));
    }
  }

  // Memory: the lowest of the rounds (GC noise only adds); connect rate: the highest.
  const pickMin = (kind: ServerKind, pick: (run: Run) => number) => {
    const values = (runs.get(kind) ?? []).map(pick);
    return values.length ? Math.min(...values) : null;
  };
  const pickMax = (kind: ServerKind, pick: (run: Run) => number) => {
    const values = (runs.get(kind) ?? []).map(pick);
    return values.length ? Math.max(...values) : null;
  };
  const heapOf = (kind: ServerKind) => pickMin(kind, (run) => perConnection(run, heap));
  const rssOf = (kind: ServerKind) => pickMin(kind, (run) => perConnection(run, (s) => s.rss));
  const rateOf = (kind: ServerKind) => pickMax(kind, (run) => run.result.perSecond);
  const kib = (value: number | null) =>
    value === null ? 'n/a' : `${(value / KIB).toFixed(1)} KiB`;
  const heapRatio = ratio(heapOf('ours'), heapOf('socketio'));
  const rows = [
    {
      scenario: name,
      metric: `server memory per connection, heap+external after GC (${sockets} sockets)`,
      ours: kib(heapOf('ours')),
      baseline: kib(heapOf('socketio')),
      ratio: heapRatio,
      target: '<= 1.2x',
      pass: heapRatio !== null && heapRatio <= 1.2,
    },
    {
      scenario: name,
      metric: 'server memory per connection, RSS after GC',
      ours: kib(rssOf('ours')),
      baseline: kib(rssOf('socketio')),
      ratio: ratio(rssOf('ours'), rssOf('socketio')),
      target: 'info',
      pass: null,
    },
    {
      scenario: name,
      metric: 'connect rate (handshake to Socket.IO connect, 50 in flight), sockets/s',
      ours: num(rateOf('ours')),
      baseline: num(rateOf('socketio')),
      ratio: ratio(rateOf('ours'), rateOf('socketio')),
      target: 'info',
      pass: null,
    },
  ];
  const table = (['ours', 'socketio', 'ws'] as ServerKind[]).flatMap((kind) =>
    (runs.get(kind) ?? []).map((run) => [
      SERVER_LABEL[kind],
      String(run.round),
      `${run.result.sockets}/${sockets}`,
      num(run.result.perSecond),
      ms(run.result.handshake.p50),
      ms(run.result.handshake.p99),
      kib(perConnection(run, heap)),
      kib(perConnection(run, (s) => s.rss)),
      kib((heap(run.afterClose) - heap(run.before)) / Math.max(1, run.result.sockets)),
      `${run.result.generatorCpu.toFixed(0)}%`,
      `${run.result.serverCpu.toFixed(0)}%`,
      `${run.result.otherCpu.toFixed(0)}%`,
    ]),
  );
  const details = [
    `${sockets} sockets, one per user, users in rooms of ${roomSize} (each socket subscribes to its ` +
      `room; presence goes to the room). Memory: after seeding vs. with all sockets open, both after ` +
      `a full GC, divided by the sockets; "left after close" is what stayed once they all closed.`,
    textTable(
      [
        'server',
        'round',
        'sockets',
        'connects/s',
        'handshake p50',
        'p99',
        'heap+ext/conn',
        'RSS/conn',
        'left after close',
        'gen CPU',
        'srv CPU',
        'other CPU',
      ],
      table,
    ),
  ].join('\n');
  const limits = (['ours', 'socketio', 'ws'] as ServerKind[]).map((kind) => {
    const run = (runs.get(kind) ?? [])[0];
    if (!run) return `${name} / ${SERVER_LABEL[kind]}: did not run`;
    const { serverCpu, generatorCpu } = run.result;
    const by =
      serverCpu >= 85
        ? 'server CPU-bound'
        : generatorCpu >= 85
          ? 'generator CPU-bound'
          : 'handshake round trips (50 in flight)';
    return (
      `${name} / ${SERVER_LABEL[kind]}: connect rate ${by} ` +
      `(server ${serverCpu.toFixed(0)}%, generator ${generatorCpu.toFixed(0)}%)`
    );
  });
  return { name, rows, details, limits, raw: Object.fromEntries(runs), profiles };
}
