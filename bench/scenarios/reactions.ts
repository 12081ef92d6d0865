/**
 * reaction storm: the highest rate of acknowledged `react` events our server sustains on
 * PostgreSQL with ack p99 under 100 ms, against the same measure for `chat_message` sends from the
 * same users to the same room, on the same server and connections, in the same round. Every
 * reaction is a real change (each user toggles its own reactions on and off), so each one is
 * stored and broadcast as `message_updated` to the whole room, as each send is.
 */
import { join } from 'node:path';
import {
  failedOn,
  startGenerator,
  startServer,
  type Child,
  type ServerChild,
} from '../lib/children';
import { Context, mintTokens, ratio, ScenarioOutcome, SummaryRow } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { createDatabase, dropDatabase } from '../lib/pg';
import type { SeedPlan, SeedResult } from '../lib/protocol';
import { ms, num, textTable } from '../lib/table';
import { roundRamp } from '../lib/tasks';
import type {
  MessagingAction,
  MessagingResult,
  RampSpec,
  SessionTask,
  StepResult,
} from '../lib/tasks';

export interface ReactionsSpec {
  /** Members of the room, one socket each; every one of them sends and reacts. */
  users: number;
  /** Seeded messages of the room that the reactions go to. */
  messages: number;
  emoji: string[];
  /** Reactions a user keeps apart before taking the first back (see MessagingAction). */
  slotsPerUser: number;
  contentBytes: number;
  ramp: RampSpec;
}

type Kind = 'chat_message' | 'react';
const LABEL: Record<Kind, string> = { chat_message: 'sends', react: 'reactions' };
const TARGET = 0.8;

export async function runReactionsScenario(
  ctx: Context,
  spec: ReactionsSpec,
): Promise<ScenarioOutcome> {
  const dbName = `chat_bench_${ctx.runTag}_reactions`;
  const url = await createDatabase(dbName);
  const options = ctx.childOptions('reactions', { DATABASE_URL: url });
  const results: Record<Kind, MessagingResult[]> = { chat_message: [], react: [] };
  const profiles: string[] = [];
  try {
    for (let round = 1; round <= ctx.rounds; round++) {
      // Alternate which goes first, so that a drift within the round hits both alike.
      const order: Kind[] = round % 2 === 1 ? ['chat_message', 'react'] : ['react', 'chat_message'];
      await runRound(ctx, spec, round, order, options, results);
      if (options.profileDir) profiles.push(join(options.profileDir, 'ours'));
    }
  } finally {
    await dropDatabase(dbName).catch((error: unknown) =>
      ctx.log(`  could not drop ${dbName}: ${String(error)}`),
    );
  }
  return summarize(spec, results, profiles);
}

async function runRound(
  ctx: Context,
  spec: ReactionsSpec,
  round: number,
  order: Kind[],
  options: ReturnType<Context['childOptions']>,
  results: Record<Kind, MessagingResult[]>,
): Promise<void> {
  await waitForQuiet(ctx.log);
  const server: ServerChild = await startServer('ours', options);
  let generator: Child | null = null;
  try {
    const members = Array.from({ length: spec.users }, (_, i) => i);
    const plan: SeedPlan = {
      prefix: `x${round}u`,
      users: spec.users,
      rooms: [{ members, messages: spec.messages }],
    };
    const seeded = await server.ipc.request<SeedResult>('seed', plan, 300_000);
    const ids = seeded.messageIds[0];
    if (!ids || ids.max - ids.min + 1 !== spec.messages) {
      throw new Error(`the seeded messages' ids are not consecutive: ${JSON.stringify(ids)}`);
    }
    const messageIds = Array.from({ length: spec.messages }, (_, i) => ids.min + i);
    const session: SessionTask = {
      target: { kind: 'ours', protocol: 'socketio', port: server.port },
      tokens: mintTokens(seeded.users),
      rooms: [{ roomId: seeded.roomIds[0], members }],
      senders: members.map((m) => [m, 0] as [number, number]),
      connectConcurrency: 50,
      connectDeadlineMs: 120_000,
      joinRooms: true,
      contentBytes: spec.contentBytes,
    };
    generator = await startGenerator(server, options, ctx.log);
    const opened = await generator.ipc.request<{ sockets: number; connectMs: number }>(
      'session-open',
      session,
      180_000,
    );
    ctx.log(
      `${roundLabel(round)}: ${opened.sockets} sockets connected in ` +
        `${(opened.connectMs / 1000).toFixed(1)} s`,
    );
    for (const kind of order) {
      const ramp = roundRamp(
        spec.ramp,
        results[kind].map((result) => result.best?.rate),
      );
      const action: MessagingAction =
        kind === 'react'
          ? { kind, messageIds, emoji: spec.emoji, slotsPerUser: spec.slotsPerUser }
          : { kind };
      ctx.log(`${roundLabel(round)}: ${LABEL[kind]}`);
      // A guard against a hung generator only: every step (and the warm-up) may be run again
      // twice after waiting for a quiet machine (30 s at most), and once more when it fails narrowly.
      const budgetMs = 60_000 + (ramp.maxSteps + 1) * 4 * (ramp.stepMs * 2 + ramp.drainMs + 31_000);
      const result = await generator.ipc.request<MessagingResult>(
        'session-ramp',
        { action, ramp },
        budgetMs,
      );
      ctx.log(`  ${LABEL[kind]}: best ${result.best ? `${result.best.rate}/s` : 'none'}`);
      results[kind].push(result);
    }
    await generator.ipc.request('session-close', null, 30_000);
  } catch (error) {
    throw failedOn(`reaction storm round ${round}`, server, error);
  } finally {
    await generator?.stop();
    await server.stop();
  }
}

const roundLabel = (round: number) => `reaction storm: round ${round}, ours (PostgreSQL)`;

/** The round with the highest sustained acknowledged rate. */
function bestOf(results: MessagingResult[]): MessagingResult | null {
  let top: MessagingResult | null = null;
  for (const result of results) {
    if (!top || (result.best?.ackedPerS ?? 0) > (top.best?.ackedPerS ?? 0)) top = result;
  }
  return top;
}

/** The lowest of the rounds' reference p99s (one stall moves one round). */
function lowest(
  results: MessagingResult[],
  pick: (step: StepResult) => number,
): number | undefined {
  const values = results
    .map((result) => (result.reference ? pick(result.reference) : NaN))
    .filter(Number.isFinite);
  return values.length > 0 ? Math.min(...values) : undefined;
}

function summarize(
  spec: ReactionsSpec,
  results: Record<Kind, MessagingResult[]>,
  profiles: string[],
): ScenarioOutcome {
  const name = 'reaction storm';
  const reacts = bestOf(results.react);
  const sends = bestOf(results.chat_message);
  const ref = spec.ramp.referenceRate;
  const rateRatio = ratio(reacts?.best?.ackedPerS, sends?.best?.ackedPerS);
  const where = `${spec.users} members of one room, PostgreSQL`;
  const rows: SummaryRow[] = [
    {
      scenario: name,
      metric:
        `acked reactions/s sustained with ack p99 < ${spec.ramp.sloP99Ms} ms, none lost, vs ` +
        `acked sends/s (${where})`,
      ours: num(reacts?.best?.ackedPerS),
      baseline: num(sends?.best?.ackedPerS),
      ratio: rateRatio,
      target: `>= ${TARGET}x`,
      pass: rateRatio !== null && rateRatio >= TARGET,
    },
    {
      scenario: name,
      metric: `ack p99 at the reference rate (${ref}/s, same for both; lowest round)`,
      ours: ms(lowest(results.react, (step) => step.ack.p99)),
      baseline: ms(lowest(results.chat_message, (step) => step.ack.p99)),
      ratio: ratio(
        lowest(results.react, (step) => step.ack.p99),
        lowest(results.chat_message, (step) => step.ack.p99),
      ),
      target: 'info',
      pass: null,
    },
    {
      scenario: name,
      metric: `e2e p99 (to every member) at the reference rate (${ref}/s; lowest round)`,
      ours: ms(lowest(results.react, (step) => step.e2e.p99)),
      baseline: ms(lowest(results.chat_message, (step) => step.e2e.p99)),
      ratio: ratio(
        lowest(results.react, (step) => step.e2e.p99),
        lowest(results.chat_message, (step) => step.e2e.p99),
      ),
      target: 'info',
      pass: null,
    },
  ];
  const stepRows = (['chat_message', 'react'] as Kind[]).flatMap((kind) =>
    results[kind].flatMap((result, i) =>
      result.steps.map((step) => [
        LABEL[kind],
        String(i + 1),
        num(step.rate),
        num(step.ackedPerS),
        num(step.deliveredPerS),
        ms(step.ack.p50),
        ms(step.ack.p99),
        ms(step.e2e.p99),
        `${step.generatorCpu.toFixed(0)}%`,
        `${step.serverCpu.toFixed(0)}%`,
        `${step.pgCpu.toFixed(0)}%`,
        `${step.otherCpu.toFixed(0)}%`,
        step.passed ? 'pass' : step.why,
      ]),
    ),
  );
  const details = [
    `Our server on PostgreSQL (RATE_LIMIT_MESSAGES=0), one public room of ${spec.users} members ` +
      `(one socket each, every event goes to all of them). Sends: chat_message with ack ` +
      `(${spec.contentBytes} bytes). Reactions: react with ack on the room's ${spec.messages} ` +
      `seeded messages, emoji ${spec.emoji.join(' ')}, each user toggling ${spec.slotsPerUser} ` +
      `reactions of its own on and off (every one a change, broadcast as message_updated). The ` +
      `same users, connections and server for both, alternating which goes first by round.`,
    textTable(
      [
        'load',
        'round',
        'rate',
        'acked/s',
        'delivered/s',
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
  ].join('\n');
  const limitOf = (kind: Kind) => {
    const top = bestOf(results[kind]);
    const step = top?.steps
      .filter((item) => !item.passed && item.rate > (top.best?.rate ?? 0))
      .sort((a, b) => a.rate - b.rate)[0];
    return (
      `${name} / ${LABEL[kind]}: ` +
      (step
        ? `at ${step.rate}/s: ${step.why} (server CPU ${step.serverCpu.toFixed(0)}%, ` +
          `PostgreSQL ${step.pgCpu.toFixed(0)}%, generator ${step.generatorCpu.toFixed(0)}%, ` +
          `other processes ${step.otherCpu.toFixed(0)}%)`
        : 'ramp bound reached')
    );
  };
  return {
    name,
    rows,
    details,
    limits: [limitOf('chat_message'), limitOf('react')],
    raw: results,
    profiles,
  };
}
