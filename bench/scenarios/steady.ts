/**
 * steady: fan-out and many rooms at one fixed rate each, the same for both servers, in
 * alternating rounds. Where the climbing scenarios find each server's ceiling, this one compares
 * what a steady load costs below it: server CPU per delivery and the e2e latency tail.
 */
import {
  ratio,
  runOrder,
  type Context,
  type ScenarioOutcome,
  type SummaryRow,
} from '../lib/context';
import { SERVER_LABEL, type ServerKind } from '../lib/protocol';
import { ms, textTable } from '../lib/table';
import { fixedRateRamp, type MessagingResult, type StepResult } from '../lib/tasks';
import { median } from '../lib/util';
import { runMessagingRound, type MessagingSpec } from './messaging';

export interface SteadyLoad {
  spec: MessagingSpec;
  rate: number;
  targets: { cpu: number; p99: number };
}

/** At least this many rounds: one stall of the machine moves a single round's p99. */
const MIN_ROUNDS = 3;

export async function runSteadyScenario(
  ctx: Context,
  loads: SteadyLoad[],
  stepMs: number,
): Promise<ScenarioOutcome> {
  const rounds = Math.max(ctx.rounds, ctx.quick ? 1 : MIN_ROUNDS);
  const order = runOrder({ ...ctx, rounds }).filter(([, kind]) => kind !== 'ws');
  const rows: SummaryRow[] = [];
  const tables: string[] = [];
  const profiles: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const load of loads) {
    const name = `steady ${load.spec.name}`;
    const spec = { ...load.spec, ramp: { ...fixedRateRamp(load.spec.ramp, load.rate), stepMs } };
    const steps = new Map<ServerKind, StepResult[]>();
    for (const [round, kind] of order) {
      ctx.log(`${name}: round ${round}, ${SERVER_LABEL[kind]}, ${load.rate} msg/s`);
      const result: MessagingResult = await runMessagingRound(ctx, spec, kind, spec.ramp, profiles);
      if (result.reference) steps.set(kind, [...(steps.get(kind) ?? []), result.reference]);
    }
    raw[name] = Object.fromEntries(steps);
    rows.push(...summaryRows(name, load, steps));
    tables.push(detailTable(name, load, steps));
  }
  return {
    name: 'steady',
    rows,
    details: tables.join('\n\n'),
    limits: [],
    raw,
    profiles,
  };
}

/** Server CPU per delivered message, in µs. */
const cpuPerDelivery = (step: StepResult) =>
  step.deliveredPerS > 0 ? ((step.serverCpu / 100) * 1e6) / step.deliveredPerS : NaN;

function summaryRows(
  name: string,
  load: SteadyLoad,
  steps: Map<ServerKind, StepResult[]>,
): SummaryRow[] {
  const of = (kind: ServerKind, pick: (step: StepResult) => number) =>
    median((steps.get(kind) ?? []).map(pick));
  const us = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} µs` : 'n/a');
  const deliveries = `${load.rate.toLocaleString('en-US')} msg/s`;
  const row = (
    metric: string,
    pick: (step: StepResult) => number,
    format: (value: number) => string,
    target: number,
  ): SummaryRow => {
    const ours = of('ours', pick);
    const base = of('socketio', pick);
    const value = ratio(ours, base);
    return {
      scenario: name,
      metric: `${metric} at ${deliveries} (median of rounds)`,
      ours: format(ours),
      baseline: format(base),
      ratio: value,
      target: `<= ${target}x`,
      pass: value !== null && value <= target,
    };
  };
  return [
    row('server CPU per delivery', cpuPerDelivery, us, load.targets.cpu),
    row('e2e p99', (step) => step.e2e.p99, ms, load.targets.p99),
    {
      ...row('e2e p50', (step) => step.e2e.p50, ms, Infinity),
      target: 'info',
      pass: null,
    },
  ];
}

function detailTable(name: string, load: SteadyLoad, steps: Map<ServerKind, StepResult[]>): string {
  const header = [
    'server',
    'round',
    'delivered/s',
    'e2e p50',
    'e2e p99',
    'e2e max',
    'loop p99',
    'loop max',
    'srv CPU',
    'CPU/delivery',
    'gen CPU',
    'other CPU',
  ];
  const table: string[][] = [];
  for (const kind of ['ours', 'socketio'] as ServerKind[]) {
    (steps.get(kind) ?? []).forEach((step, i) =>
      table.push([
        SERVER_LABEL[kind],
        String(i + 1),
        Math.round(step.deliveredPerS).toLocaleString('en-US'),
        ms(step.e2e.p50),
        ms(step.e2e.p99),
        ms(step.e2e.max),
        ms(step.loopDelay?.p99),
        ms(step.loopDelay?.max),
        `${step.serverCpu.toFixed(0)}%`,
        `${cpuPerDelivery(step).toFixed(2)} µs`,
        `${step.generatorCpu.toFixed(0)}%`,
        `${step.otherCpu.toFixed(0)}%`,
      ]),
    );
  }
  return [
    `${name}: ${load.spec.describe} ${load.rate} msg/s for every server.`,
    textTable(header, table),
  ].join('\n');
}
