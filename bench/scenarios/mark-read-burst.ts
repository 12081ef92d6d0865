/**
 * mark-read-burst: the fan-out room (one room, every socket a reader, 4 of them sending at a rising
 * rate) on our server with PostgreSQL, where every client answers every message it receives with
 * `mark_read` up to it (the worst case of a client). Read positions are coalesced before they are
 * stored (src/rooms/read-state.ts), so the rows written to room_members per second stay at most
 * the number of readers whatever the send rate; the launcher counts the app's statements and the
 * flushes' rows around each step. In the same run: the same room without mark_read on our server
 * (PostgreSQL too) and on plain socket.io (in memory, as in fan-out), so the delivery ratio shows
 * what mark_read costs.
 */
import { createDatabase, dropDatabase } from '../lib/pg';
import { Context, ratio, ScenarioOutcome, SummaryRow } from '../lib/context';
import { SERVER_LABEL, type ServerKind } from '../lib/protocol';
import { ms, num, textTable } from '../lib/table';
import { roundRamp, type MessagingResult, type RampSpec, type StepResult } from '../lib/tasks';
import { runMessagingRound, type MessagingSpec, type RoundExtras } from './messaging';

type Variant = 'marks' | 'plain' | 'socketio';

const VARIANTS: Record<Variant, { kind: ServerKind; label: string; markRead: boolean }> = {
  marks: { kind: 'ours', label: 'ours (PostgreSQL), mark_read on', markRead: true },
  plain: { kind: 'ours', label: 'ours (PostgreSQL), no mark_read', markRead: false },
  socketio: { kind: 'socketio', label: SERVER_LABEL.socketio, markRead: false },
};
const DELIVERY_TARGET = 0.85;

/** `spec.ramp` for the runs without mark_read, `markRamp` (lower rates) for the ones with. */
export async function runMarkReadBurstScenario(
  ctx: Context,
  spec: MessagingSpec,
  markRamp: RampSpec,
): Promise<ScenarioOutcome> {
  const readers = spec.plan.users;
  const results = new Map<Variant, MessagingResult[]>();
  const profiles: string[] = [];
  let databases = 0;
  for (let round = 1; round <= ctx.rounds; round++) {
    const order: Variant[] =
      round % 2 === 1 ? ['marks', 'socketio', 'plain'] : ['plain', 'socketio', 'marks'];
    for (const variant of order) {
      const { kind, label, markRead } = VARIANTS[variant];
      if (!ctx.servers.includes(kind)) continue;
      const earlier = results.get(variant) ?? [];
      const ramp = roundRamp(
        markRead ? markRamp : spec.ramp,
        earlier.map((result) => result.best?.rate),
      );
      ctx.log(`${spec.name}: round ${round}, ${label}`);
      // Our server gets a fresh database each time (the seeded users would clash).
      const dbName = `chat_bench_${ctx.runTag}_markread${++databases}`;
      const extras: RoundExtras =
        kind === 'ours'
          ? { env: { DATABASE_URL: await createDatabase(dbName) }, markRead, dbStats: true }
          : {};
      try {
        const result = await runMessagingRound(ctx, spec, kind, ramp, profiles, extras);
        results.set(variant, [...earlier, result]);
      } finally {
        if (kind === 'ours') {
          await dropDatabase(dbName).catch((error: unknown) =>
            ctx.log(`  could not drop ${dbName}: ${String(error)}`),
          );
        }
      }
    }
  }
  return summarize(spec, readers, results, profiles);
}

/** The run with the highest sustained delivery rate. */
function bestOf(results: MessagingResult[] | undefined): MessagingResult | null {
  let top: MessagingResult | null = null;
  for (const result of results ?? []) {
    if (!top || (result.best?.deliveredPerS ?? 0) > (top.best?.deliveredPerS ?? 0)) top = result;
  }
  return top;
}

/** Per second over the step and its drain (the flushes of a step's marks land in its drain). */
const dbRate = (
  step: StepResult,
  pick: (delta: NonNullable<StepResult['db']>['delta']) => number,
) => (step.db ? (pick(step.db.delta) / step.db.windowMs) * 1000 : NaN);
const rowsPerS = (step: StepResult) => dbRate(step, (delta) => delta.readMarkRows);
const marksPerS = (step: StepResult) =>
  step.marks ? (step.marks.acked / step.durationMs) * 1000 : NaN;

function summarize(
  spec: MessagingSpec,
  readers: number,
  results: Map<Variant, MessagingResult[]>,
  profiles: string[],
): ScenarioOutcome {
  const marks = bestOf(results.get('marks'));
  const plain = bestOf(results.get('plain'));
  const base = bestOf(results.get('socketio'));
  const delivered = (result: MessagingResult | null) => result?.best?.deliveredPerS;
  const markSteps = (results.get('marks') ?? []).flatMap((result) => result.steps);
  // The busiest step for the database: the most read positions stored per second.
  const busiest = markSteps.reduce<StepResult | null>(
    (top, step) => (top === null || rowsPerS(step) > rowsPerS(top) ? step : top),
    null,
  );
  const busiestRows = busiest ? rowsPerS(busiest) : undefined;
  const deliveredRatio = ratio(delivered(marks), delivered(base));
  const stmt = (step: StepResult | null | undefined) =>
    step ? num(dbRate(step, (delta) => delta.statements)) : 'n/a';
  const slo = `e2e p99 <= ${spec.ramp.sloP99Ms} ms, none lost, every mark_read acked`;
  // What the slowest step tried looked like, passed or not (the floor of what it carried).
  const slowest = [...markSteps].sort((a, b) => a.rate - b.rate)[0];
  const rows: SummaryRow[] = [
    {
      scenario: 'mark-read burst',
      metric:
        `fan-out delivered msg/s at max sustained rate, ${readers} readers each sending mark_read ` +
        `per message received (ours on PostgreSQL; ${slo}) vs plain socket.io without mark_read`,
      ours: num(delivered(marks)),
      baseline: num(delivered(base)),
      ratio: deliveredRatio,
      target: `>= ${DELIVERY_TARGET}x`,
      pass: deliveredRatio !== null && deliveredRatio >= DELIVERY_TARGET,
    },
    {
      scenario: 'mark-read burst',
      metric: slowest
        ? `with mark_read at its lowest rate tried (${slowest.rate} msg/s, ` +
          `${num(marksPerS(slowest))} mark_read/s, ${slowest.passed ? 'passed' : 'failed'}): ` +
          `e2e p99 / mark_read ack p99`
        : 'with mark_read: no step ran',
      ours: slowest ? `${ms(slowest.e2e.p99)} / ${ms(slowest.marks?.ack.p99)}` : 'n/a',
      baseline: '',
      ratio: null,
      target: 'info',
      pass: null,
    },
    {
      scenario: 'mark-read burst',
      metric: 'the same room without mark_read: ours (PostgreSQL) vs plain socket.io',
      ours: num(delivered(plain)),
      baseline: num(delivered(base)),
      ratio: ratio(delivered(plain), delivered(base)),
      target: 'info',
      pass: null,
    },
    {
      scenario: 'mark-read burst',
      metric: 'what mark_read costs: ours with mark_read vs ours without (delivered msg/s)',
      ours: num(delivered(marks)),
      baseline: num(delivered(plain)),
      ratio: ratio(delivered(marks), delivered(plain)),
      target: 'info',
      pass: null,
    },
    {
      scenario: 'mark-read burst',
      metric:
        `room_members rows written/s by read-position flushes, busiest step ` +
        `(${busiest ? `${busiest.rate} msg/s, ${num(marksPerS(busiest))} mark_read acked/s` : 'n/a'}) ` +
        `vs readers`,
      ours: num(busiestRows),
      baseline: num(readers),
      ratio: ratio(busiestRows, readers),
      target: '<= 1x',
      pass: busiestRows !== undefined && Number.isFinite(busiestRows) && busiestRows <= readers,
    },
    {
      scenario: 'mark-read burst',
      metric:
        'statements/s of our server, same step: all / read-position UPDATEs (the rest: the ' +
        "reads of each mark_read and the messages' inserts)",
      ours: busiest
        ? `${stmt(busiest)} / ${num(dbRate(busiest, (delta) => delta.readMarkStatements))}`
        : 'n/a',
      baseline: '',
      ratio: null,
      target: 'info',
      pass: null,
    },
  ];

  const header = [
    'server',
    'runs',
    'max msg/s',
    'delivered/s',
    'e2e p99',
    'mark_read/s',
    'mark ack p99',
    'stmt/s',
    'UPDATE/s',
    'rows/s',
    'n_tup_upd/s',
    'srv CPU',
    'PG CPU',
    'gen CPU',
    'other CPU',
  ];
  const stepRow = (label: string, runs: string, step: StepResult | null | undefined) => [
    label,
    runs,
    step ? String(step.rate) : 'none',
    num(step?.deliveredPerS),
    ms(step?.e2e.p99),
    step?.marks ? num(marksPerS(step)) : '-',
    step?.marks ? ms(step.marks.ack.p99) : '-',
    step?.db ? stmt(step) : '-',
    step?.db ? num(dbRate(step, (delta) => delta.readMarkStatements)) : '-',
    step?.db ? num(rowsPerS(step)) : '-',
    step?.db ? num(dbRate(step, (delta) => delta.roomMembersUpdated)) : '-',
    step ? `${step.serverCpu.toFixed(0)}%` : 'n/a',
    step ? `${step.pgCpu.toFixed(0)}%` : 'n/a',
    step ? `${step.generatorCpu.toFixed(0)}%` : 'n/a',
    step ? `${step.otherCpu.toFixed(0)}%` : 'n/a',
  ];
  const best = (Object.keys(VARIANTS) as Variant[]).map((variant) =>
    stepRow(
      VARIANTS[variant].label,
      String((results.get(variant) ?? []).length),
      bestOf(results.get(variant))?.best,
    ),
  );
  const steps = (results.get('marks') ?? []).flatMap((result, round) =>
    result.steps.map((step) => [
      ...stepRow(`round ${round + 1}`, step.passed ? 'pass' : 'FAIL', step),
      step.why,
    ]),
  );
  const details = [
    `${spec.describe.replace('; in-memory store.', '')}. Every socket is a reader: on each ` +
      `chat_message it receives it sends mark_read {room_id, last_read_id: the message's id} ` +
      `with ack. Ours on PostgreSQL (a fresh database per run), plain socket.io in memory ` +
      `without read state. Figures per second over the step and its drain (the marks of a step ` +
      `are stored within a second of it); statements are those the app sent through its ` +
      `DataSource, rows are what the read-position UPDATEs moved (n_tup_upd: PostgreSQL's own ` +
      `count for room_members, up to a second late). Best round's highest passing step (${slo}).`,
    textTable(header, best),
    'Every step of the mark_read runs:',
    textTable(
      [...header.map((item, i) => (i === 1 ? 'result' : i === 0 ? 'run' : item)), 'why'],
      steps,
    ),
  ].join('\n');
  const limits = (Object.keys(VARIANTS) as Variant[]).map((variant) => {
    const result = bestOf(results.get(variant));
    const next = result?.steps
      .filter((step) => !step.passed && (!result.best || step.rate > result.best.rate))
      .sort((a, b) => a.rate - b.rate)[0];
    return (
      `mark-read burst / ${VARIANTS[variant].label}: ` +
      (next
        ? `at ${next.rate} msg/s: ${next.why} (server CPU ${next.serverCpu.toFixed(0)}%, ` +
          `PostgreSQL ${next.pgCpu.toFixed(0)}%, generator ${next.generatorCpu.toFixed(0)}%, ` +
          `other processes ${next.otherCpu.toFixed(0)}%)`
        : result
          ? 'the ramp reached its bound without failing'
          : 'did not run')
    );
  });
  return {
    name: 'mark-read burst',
    rows,
    details,
    limits,
    raw: Object.fromEntries(results),
    profiles,
  };
}
