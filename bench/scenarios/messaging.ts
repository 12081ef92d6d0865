/** fan-out and many rooms: the same rising-rate run against each server, alternating. */
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
import { PROTOCOL_OF, SeedPlan, SERVER_LABEL, ServerKind } from '../lib/protocol';
import type { SeedResult } from '../lib/protocol';
import { ms, num, textTable } from '../lib/table';
import { roundRamp } from '../lib/tasks';
import type { MessagingResult, MessagingTask, RampSpec, StepResult } from '../lib/tasks';

export interface MessagingSpec {
  name: string;
  /** Seeded users and rooms (room indexes into plan.rooms). */
  plan: SeedPlan;
  senders: [number, number][];
  ramp: RampSpec;
  contentBytes: number;
  connectConcurrency: number;
  describe: string;
}

const P99_TOLERANCE = { factor: 1.1, plusMs: 1 };

export async function runMessagingScenario(
  ctx: Context,
  spec: MessagingSpec,
): Promise<ScenarioOutcome> {
  const results = new Map<ServerKind, MessagingResult[]>();
  const profiles: string[] = [];
  for (const [round, kind] of runOrder(ctx)) {
    const earlier = results.get(kind) ?? [];
    const ramp = roundRamp(
      spec.ramp,
      earlier.map((result) => result.best?.rate),
    );
    ctx.log(`${spec.name}: round ${round}, ${SERVER_LABEL[kind]}`);
    const result = await runMessagingRound(ctx, spec, kind, ramp, profiles);
    results.set(kind, [...earlier, result]);
  }
  return summarize(spec, results, profiles);
}

/** What a round may add: the server's environment (a database), and the clients' behaviour. */
export interface RoundExtras {
  env?: Record<string, string>;
  markRead?: boolean;
  dbStats?: boolean;
}

/** One server's round: start it, seed it, connect the clients, run the ramp. */
export async function runMessagingRound(
  ctx: Context,
  spec: MessagingSpec,
  kind: ServerKind,
  ramp: RampSpec,
  profiles: string[],
  extras: RoundExtras = {},
): Promise<MessagingResult> {
  const options = ctx.childOptions(spec.name, extras.env);
  await waitForQuiet(ctx.log);
  const server: ServerChild = await startServer(kind, options);
  let generator: Child | null = null;
  try {
    const seeded = await server.ipc.request<SeedResult>('seed', spec.plan, 300_000);
    const task: MessagingTask = {
      target: { kind, protocol: PROTOCOL_OF[kind], port: server.port },
      tokens: mintTokens(seeded.users),
      rooms: spec.plan.rooms.map((room, r) => ({
        roomId: seeded.roomIds[r],
        members: room.members,
      })),
      senders: spec.senders,
      connectConcurrency: spec.connectConcurrency,
      connectDeadlineMs: 180_000,
      joinRooms: true,
      contentBytes: spec.contentBytes,
      ramp,
      markRead: extras.markRead,
      dbStats: extras.dbStats,
    };
    generator = await startGenerator(server, options, ctx.log);
    const budgetMs =
      task.connectDeadlineMs + 120_000 + ramp.maxSteps * (ramp.stepMs + ramp.drainMs + 2_000);
    const result: MessagingResult = await generator.ipc.request('messaging', task, budgetMs);
    ctx.log(
      `  ${kind}: ${result.sockets} sockets connected in ${(result.connectMs / 1000).toFixed(1)} s; ` +
        `best ${result.best ? `${result.best.rate} msg/s` : 'none'}`,
    );
    return result;
  } catch (error) {
    throw failedOn(`${spec.name} on ${kind}`, server, error);
  } finally {
    await generator?.stop();
    await server.stop();
    if (options.profileDir) profiles.push(join(options.profileDir, kind));
  }
}

/** The run with the highest sustained delivery rate. */
function bestOf(results: MessagingResult[] | undefined): MessagingResult | null {
  let top: MessagingResult | null = null;
  for (const result of results ?? []) {
    if (!top || (result.best?.deliveredPerS ?? 0) > (top.best?.deliveredPerS ?? 0)) top = result;
  }
  return top;
}

/**
 * The reference step's e2e p99, the lowest of the rounds (a single stall of the machine moves one
 * round's p99; every server gets the same rule).
 */
function referenceP99(results: MessagingResult[] | undefined): number | undefined {
  const values = (results ?? [])
    .map((result) => result.reference?.e2e.p99)
    .filter((value): value is number => value !== undefined && Number.isFinite(value));
  return values.length > 0 ? Math.min(...values) : undefined;
}

/** The first failing step above the best one: what stopped the climb. */
function limitOf(result: MessagingResult | null): string {
  if (!result) return 'did not run';
  const best = result.best;
  const failing = result.steps.filter((step) => !step.passed && (!best || step.rate > best.rate));
  const next = failing.sort((a, b) => a.rate - b.rate)[0];
  const hints: string[] = [];
  const cpuOf = (step: StepResult) =>
    `server CPU ${step.serverCpu.toFixed(0)}%, generator CPU ${step.generatorCpu.toFixed(0)}%, ` +
    `other processes ${step.otherCpu.toFixed(0)}%`;
  if (next) hints.push(`at ${next.rate} msg/s: ${next.why} (${cpuOf(next)})`);
  else hints.push('the ramp reached its bound without failing');
  if (best && best.generatorCpu >= 85) hints.push('generator near saturation at the best step');
  return hints.join('; ');
}

function summarize(
  spec: MessagingSpec,
  results: Map<ServerKind, MessagingResult[]>,
  profiles: string[],
): ScenarioOutcome {
  const ours = bestOf(results.get('ours'));
  const base = bestOf(results.get('socketio'));
  const ceiling = bestOf(results.get('ws'));
  const ref = spec.ramp.referenceRate;
  const sloText = `${spec.ramp.sloOn} p99 <= ${spec.ramp.sloP99Ms} ms, none lost`;

  const deliveredRatio = ratio(ours?.best?.deliveredPerS, base?.best?.deliveredPerS);
  const oursRefP99 = referenceP99(results.get('ours'));
  const baseRefP99 = referenceP99(results.get('socketio'));
  const p99Pass =
    oursRefP99 !== undefined &&
    baseRefP99 !== undefined &&
    oursRefP99 <= baseRefP99 * P99_TOLERANCE.factor + P99_TOLERANCE.plusMs;
  const rows: SummaryRow[] = [
    {
      scenario: spec.name,
      metric: `delivered msg/s at max sustained rate (${sloText})`,
      ours: num(ours?.best?.deliveredPerS),
      baseline: num(base?.best?.deliveredPerS),
      ratio: deliveredRatio,
      target: '>= 0.85x',
      pass: deliveredRatio !== null && deliveredRatio >= 0.85,
    },
    {
      scenario: spec.name,
      metric: `e2e p99 at the reference rate (${ref} msg/s, same for both; lowest round)`,
      ours: ms(oursRefP99),
      baseline: ms(baseRefP99),
      ratio: ratio(oursRefP99, baseRefP99),
      target: '<= 1.10x (+1 ms)',
      pass: p99Pass,
    },
    {
      scenario: spec.name,
      metric: "e2e p99 at each one's max sustained rate",
      ours: ms(ours?.best?.e2e.p99),
      baseline: ms(base?.best?.e2e.p99),
      ratio: ratio(ours?.best?.e2e.p99, base?.best?.e2e.p99),
      target: 'info',
      pass: null,
    },
    {
      scenario: spec.name,
      metric: 'ceiling: delivered msg/s vs plain ws server',
      ours: num(ours?.best?.deliveredPerS),
      baseline: num(ceiling?.best?.deliveredPerS),
      ratio: ratio(ours?.best?.deliveredPerS, ceiling?.best?.deliveredPerS),
      target: 'info',
      pass: null,
    },
  ];

  const header = [
    'server',
    'runs',
    'max msg/s',
    'delivered/s',
    'e2e p50',
    'e2e p99',
    'ack p50',
    'ack p99',
    `e2e p99 @${ref}`,
    'gen CPU',
    'srv CPU',
    'other CPU',
  ];
  const table: string[][] = [];
  for (const kind of ['ours', 'socketio', 'ws'] as ServerKind[]) {
    const all = results.get(kind) ?? [];
    const top = bestOf(all);
    const best = top?.best;
    table.push([
      SERVER_LABEL[kind],
      String(all.length),
      best ? num(best.rate) : 'none',
      num(best?.deliveredPerS),
      ms(best?.e2e.p50),
      ms(best?.e2e.p99),
      ms(best?.ack.p50),
      ms(best?.ack.p99),
      ms(referenceP99(all)),
      best ? `${best.generatorCpu.toFixed(0)}%` : 'n/a',
      best ? `${best.serverCpu.toFixed(0)}%` : 'n/a',
      best ? `${best.otherCpu.toFixed(0)}%` : 'n/a',
    ]);
  }
  const limits = (['ours', 'socketio', 'ws'] as ServerKind[]).map(
    (kind) => `${spec.name} / ${SERVER_LABEL[kind]}: ${limitOf(bestOf(results.get(kind)))}`,
  );
  const details = [
    spec.describe,
    `Figures are the best round's highest passing step (${sloText}); CPU in % of one core.`,
    textTable(header, table),
  ].join('\n');
  return {
    name: spec.name,
    rows,
    details,
    limits,
    raw: Object.fromEntries(results),
    profiles,
  };
}
