/**
 * cluster: four of our server processes on one PostgreSQL database and one Redis, at one steady
 * send rate, with Redis delivery classic (`REDIS_PUBSUB=classic`: one channel, every process
 * receives and decodes every room's message) and sharded (`REDIS_PUBSUB=sharded`: a channel per
 * room, received only by the processes with sockets in it), in alternating rounds, in two layouts:
 *
 * - one serving process: the talking rooms' sockets all on process 1; the other three each hold
 *   as many sockets, in rooms of their own that stay silent. What the idle three spend per
 *   delivery, against the serving process, is the cost of a message to processes that have no one
 *   to deliver it to.
 * - spread: every room's sockets spread evenly over the four processes, so every process has
 *   someone in every room and both modes must carry every message to all four: total CPU per
 *   delivery and the e2e latency, which sharded delivery must not make worse.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  failedOn,
  startGenerator,
  startServer,
  type Child,
  type ServerChild,
} from '../lib/children';
import { mintTokens, ratio, type Context, type ScenarioOutcome } from '../lib/context';
import type { SummaryRow } from '../lib/context';
import { waitForQuiet } from '../lib/machine';
import { createDatabase, dropDatabase } from '../lib/pg';
import type { CpuSample, LoopDelay, SeedPlan, SeedResult } from '../lib/protocol';
import { ms, textTable } from '../lib/table';
import type { MessagingResult, MessagingTask, RampSpec, StepResult } from '../lib/tasks';
import { median } from '../lib/util';

export type PubSubMode = 'classic' | 'sharded';
export type ClusterLayout = 'one' | 'spread';

export interface ClusterConfig {
  /** Server processes (4). */
  processes: number;
  /** Rooms that talk; as many silent ones again per other process (see `plan`). */
  talkingRooms: number;
  roomSize: number;
  /** Messages per second over all talking rooms, the same in every round. */
  rate: number;
  stepMs: number;
  contentBytes: number;
  /** One serving process, sharded: the idle processes' CPU per delivery / the serving one's. */
  idleShareTarget: number;
  /** Spread: cluster CPU per delivery, sharded / classic. */
  spreadCpuTarget: number;
}

const LAYOUT_LABEL: Record<ClusterLayout, string> = {
  one: 'one serving process',
  spread: 'spread evenly',
};

/** At least this many rounds in a full run: one disturbed round moves a single figure. */
const MIN_ROUNDS = 3;

/** Where the bench's Redis is; the same for the four processes. */
export function redisUrl(): string {
  return process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Every key and channel the app uses starts with this (src/cluster/redis-connection.ts). */
const APP_PREFIX = 'chat:';

/**
 * The users, rooms and the process of every user's socket. There are `processes x talkingRooms`
 * rooms of `roomSize` users, one user per socket, `roomSize x talkingRooms` sockets per process in
 * both layouts; the first `talkingRooms` rooms talk.
 * - one: talking room r's members all on process 0; silent room r of process p on process p.
 * - spread: member k of every room on process k mod processes.
 */
export function clusterPlan(
  cfg: Pick<ClusterConfig, 'processes' | 'talkingRooms' | 'roomSize'>,
  layout: ClusterLayout,
  prefix: string,
): { plan: SeedPlan; processOf: number[]; senders: [number, number][] } {
  const rooms = cfg.processes * cfg.talkingRooms;
  const users = rooms * cfg.roomSize;
  const processOf: number[] = new Array(users);
  const planRooms: SeedPlan['rooms'] = [];
  for (let r = 0; r < rooms; r++) {
    const members = Array.from({ length: cfg.roomSize }, (_, k) => r * cfg.roomSize + k);
    members.forEach((user, k) => {
      processOf[user] = layout === 'one' ? Math.floor(r / cfg.talkingRooms) : k % cfg.processes;
    });
    planRooms.push({ members });
  }
  const senders: [number, number][] = [];
  for (let r = 0; r < cfg.talkingRooms; r++) {
    for (const member of planRooms[r].members) senders.push([member, r]);
  }
  return { plan: { prefix, users, rooms: planRooms }, processOf, senders };
}

/** One round's measured step and what Redis showed while it ran. */
interface ClusterStep {
  round: number;
  step: StepResult;
  /** Channels and shard channels of the app subscribed in Redis during the step. */
  channels: number;
  shardChannels: number;
  /** Each process's CPU (% of a core) with every socket connected and nothing sent. */
  quiet: number[];
  /** Redis's CPU (% of a core) over the same span. */
  quietRedis: number;
  /** What Redis did over the step (INFO): commands, PUBLISH, SPUBLISH, bytes sent. */
  redisWork: RedisWork | null;
}

interface RedisWork {
  commands: number;
  publish: number;
  spublish: number;
  netOutBytes: number;
}

type Key = `${ClusterLayout}/${PubSubMode}`;

export async function runClusterScenario(
  ctx: Context,
  cfg: ClusterConfig,
): Promise<ScenarioOutcome> {
  const rounds = Math.max(ctx.rounds, ctx.quick ? 1 : MIN_ROUNDS);
  const appReadsSetting = readFileSync(
    join(ctx.appDir, 'src/config/load-config.js'),
    'utf8',
  ).includes('REDIS_PUBSUB');
  const results = new Map<Key, ClusterStep[]>();
  const profiles: string[] = [];
  let serial = 0;
  for (const layout of ['one', 'spread'] as ClusterLayout[]) {
    for (let round = 1; round <= rounds; round++) {
      // The mode that goes first alternates by round, so a drift of the machine hits both alike.
      const modes: PubSubMode[] = round % 2 === 1 ? ['classic', 'sharded'] : ['sharded', 'classic'];
      for (const mode of modes) {
        serial++;
        ctx.log(
          `cluster ${LAYOUT_LABEL[layout]}: round ${round}, REDIS_PUBSUB=${mode}, ` +
            `${cfg.rate} msg/s`,
        );
        const measured = await runClusterRound(ctx, cfg, layout, mode, serial, profiles);
        const key: Key = `${layout}/${mode}`;
        results.set(key, [...(results.get(key) ?? []), { round, ...measured }]);
      }
    }
  }
  return summarize(cfg, results, appReadsSetting, profiles);
}

/** Four processes, a fresh database, Redis cleared: seed, connect, one fixed-rate step. */
async function runClusterRound(
  ctx: Context,
  cfg: ClusterConfig,
  layout: ClusterLayout,
  mode: PubSubMode,
  serial: number,
  profiles: string[],
): Promise<Omit<ClusterStep, 'round'>> {
  await waitForQuiet(ctx.log);
  const dbName = `chat_bench_${ctx.runTag}_cluster${serial}`;
  const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const servers: ServerChild[] = [];
  let generator: Child | null = null;
  try {
    await clearRedis(redis);
    const options = {
      ...ctx.childOptions('cluster', {
        DATABASE_URL: await createDatabase(dbName),
        REDIS_URL: redisUrl(),
        REDIS_PUBSUB: mode,
        // The default message limit (20 per 10 s per user, kept in Redis), as in production, so
        // Redis's commands per message are production's; every user sends under 1 msg/s here.
        RATE_LIMIT_MESSAGES: '20',
      }),
      // V8's memory reducer runs a few full collections once a process stops allocating, some
      // 40 s after start here: in an idle process that lands in the measured step, once, and
      // outweighs what the messages cost it (a long-running process pays it once per idle spell).
      nodeArgs: ['--no-memory-reducer'],
    };
    // The first process alone, since it runs the migrations on the fresh database; then the rest.
    servers.push(await startServer('ours', options));
    servers.push(
      ...(await Promise.all(
        Array.from({ length: cfg.processes - 1 }, () => startServer('ours', options)),
      )),
    );
    const { plan, processOf, senders } = clusterPlan(cfg, layout, `c${serial}u`);
    // Users, rooms and sessions through process 1: they are the database's, so every process
    // finds them (sessions are confirmed by the store).
    const seeded = await servers[0].ipc.request<SeedResult>('seed', plan, 300_000);
    const ramp: RampSpec = {
      referenceRate: cfg.rate,
      from: cfg.rate,
      factor: 1.5,
      refine: 0,
      maxSteps: 1,
      maxRate: cfg.rate,
      stepMs: cfg.stepMs,
      drainMs: 3_000,
      sloP99Ms: 250,
      sloOn: 'e2e',
      maxInFlight: 5_000,
    };
    const task: MessagingTask = {
      target: { kind: 'ours', protocol: 'socketio', port: servers[0].port },
      ports: processOf.map((p) => servers[p].port),
      tokens: mintTokens(seeded.users),
      rooms: plan.rooms.map((room, r) => ({ roomId: seeded.roomIds[r], members: room.members })),
      senders,
      connectConcurrency: 50,
      connectDeadlineMs: 180_000,
      joinRooms: true,
      contentBytes: cfg.contentBytes,
      ramp,
    };
    generator = await startGenerator(null, options, ctx.log);
    const channels = { channels: 0, shardChannels: 0 };
    const quiet = { processes: [] as number[], redis: NaN, measured: false };
    // The last step's (the measured one's: it runs last) Redis counters.
    let workAtStart: RedisWork | null = null;
    let redisWork: RedisWork | null = null;
    // The generator asks "the server" for CPU and loop delay around each step: here the four
    // processes answer together (the sum, and each one's), with Redis's CPU beside them.
    generator.ipc.handle('server', async (body: { type: string }) => {
      if (body.type === 'cpu') return clusterCpu(servers, redis);
      if (body.type === 'loop-start') {
        Object.assign(channels, await appChannels(redis));
        // Before the first step (the warm-up), with everyone connected: what the processes spend
        // when nothing is sent (timers, heartbeats, pings), to tell it from the messages' cost.
        if (!quiet.measured) {
          Object.assign(quiet, await quietCpu(servers, redis, Math.min(cfg.stepMs, 5_000)));
          quiet.measured = true;
        }
        await Promise.all(servers.map((server) => server.ipc.request(body.type)));
        workAtStart = await redisCounters(redis);
        return true;
      }
      if (body.type === 'loop-stop') {
        const delays = await Promise.all(
          servers.map((server) => server.ipc.request<LoopDelay | null>(body.type)),
        );
        const now = await redisCounters(redis);
        const start = workAtStart;
        if (start) {
          redisWork = {
            commands: now.commands - start.commands,
            publish: now.publish - start.publish,
            spublish: now.spublish - start.spublish,
            netOutBytes: now.netOutBytes - start.netOutBytes,
          };
        }
        return worstDelay(delays);
      }
      throw new Error(`the cluster does not answer ${body.type}`);
    });
    const budgetMs = task.connectDeadlineMs + 120_000 + 4 * (ramp.stepMs + ramp.drainMs + 2_000);
    const result: MessagingResult = await generator.ipc.request('messaging', task, budgetMs);
    if (!result.reference) throw new Error('no measured step');
    ctx.log(
      `  ${result.sockets} sockets connected in ${(result.connectMs / 1000).toFixed(1)} s; ` +
        `Redis: ${channels.channels} channels, ${channels.shardChannels} shard channels`,
    );
    return {
      step: result.reference,
      ...channels,
      quiet: quiet.processes,
      quietRedis: quiet.redis,
      redisWork,
    };
  } catch (error) {
    if (servers[0]) throw failedOn(`cluster ${layout} ${mode}`, servers[0], error);
    throw error;
  } finally {
    await generator?.stop();
    await Promise.all(servers.map((server) => server.stop()));
    if (ctx.profileRoot) profiles.push(join(ctx.profileRoot, 'cluster', 'ours'));
    redis.disconnect();
    await dropDatabase(dbName).catch((error: unknown) =>
      ctx.log(`  could not drop ${dbName}: ${String(error)}`),
    );
  }
}

/**
 * Removes what earlier processes left under the app's prefix (presence, node heartbeats,
 * revocations, rate limits), after making sure no running server uses this Redis: its channels
 * would mix with ours, and its keys would go.
 */
async function clearRedis(redis: Redis): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { channels, shardChannels } = await appChannels(redis);
    if (channels + shardChannels === 0) break;
    if (attempt >= 10) {
      throw new Error(
        `${redisUrl()} has subscribers on ${APP_PREFIX}* channels: another server uses it ` +
          `(set BENCH_REDIS_URL to a Redis of its own)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${APP_PREFIX}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function appChannels(redis: Redis): Promise<{ channels: number; shardChannels: number }> {
  const channels = (await redis.call('PUBSUB', 'CHANNELS', `${APP_PREFIX}*`)) as string[];
  const shardChannels = (await redis.call('PUBSUB', 'SHARDCHANNELS', `${APP_PREFIX}*`)) as string[];
  return { channels: channels.length, shardChannels: shardChannels.length };
}

/** The processes' CPU time (sum and each) and Redis's (INFO cpu), in µs. */
async function clusterCpu(servers: ServerChild[], redis: Redis): Promise<CpuSample> {
  const [each, info] = await Promise.all([
    Promise.all(servers.map((server) => server.ipc.request<CpuSample>('cpu'))),
    redis.info('cpu'),
  ]);
  const field = (name: string) =>
    Math.round(Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0) * 1e6);
  return {
    user: each.reduce((sum, sample) => sum + sample.user, 0),
    system: each.reduce((sum, sample) => sum + sample.system, 0),
    each,
    redis: { user: field('used_cpu_user'), system: field('used_cpu_sys') },
  };
}

/** Redis's counters since its start (a few of them are the bench's own INFO and PUBSUB). */
async function redisCounters(redis: Redis): Promise<RedisWork> {
  const [commandStats, stats] = await Promise.all([
    redis.info('commandstats'),
    redis.info('stats'),
  ]);
  const calls = (command: string) =>
    Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(commandStats)?.[1] ?? 0);
  const stat = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  return {
    commands: stat('total_commands_processed'),
    publish: calls('publish'),
    spublish: calls('spublish'),
    netOutBytes: stat('total_net_output_bytes'),
  };
}

async function quietCpu(
  servers: ServerChild[],
  redis: Redis,
  spanMs: number,
): Promise<{ processes: number[]; redis: number }> {
  const a = await clusterCpu(servers, redis);
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, spanMs));
  const b = await clusterCpu(servers, redis);
  const wallMs = performance.now() - start;
  const percent = (before: CpuSample, after: CpuSample) =>
    ((after.user - before.user + after.system - before.system) / 1000 / wallMs) * 100;
  return {
    processes: (b.each ?? []).map((sample, i) => percent(a.each![i], sample)),
    redis: a.redis && b.redis ? percent(a.redis, b.redis) : NaN,
  };
}

function worstDelay(delays: (LoopDelay | null)[]): LoopDelay | null {
  const known = delays.filter((delay): delay is LoopDelay => delay !== null);
  if (known.length === 0) return null;
  return {
    p50: Math.max(...known.map((delay) => delay.p50)),
    p99: Math.max(...known.map((delay) => delay.p99)),
    max: Math.max(...known.map((delay) => delay.max)),
  };
}

/** CPU (% of a core) per delivered message, in µs. */
const perDelivery = (cpu: number | undefined, step: StepResult) =>
  cpu !== undefined && step.deliveredPerS > 0 ? ((cpu / 100) * 1e6) / step.deliveredPerS : NaN;
const serving = (step: StepResult) => perDelivery(step.serverCpus?.[0], step);
const idleEach = (step: StepResult) =>
  (step.serverCpus ?? []).slice(1).map((cpu) => perDelivery(cpu, step));
const idleSum = (step: StepResult) =>
  step.serverCpus ? perDelivery(sum(step.serverCpus.slice(1)), step) : NaN;
const idleShare = (step: StepResult) => idleSum(step) / serving(step);
const total = (step: StepResult) => perDelivery(step.serverCpu, step);
const redisPer = (step: StepResult) => perDelivery(step.redisCpu, step);
/** Redis's CPU per acknowledged message beyond what it spends with nothing sent, in µs. */
const redisNetPerMessage = (item: ClusterStep) =>
  item.step.redisCpu !== undefined && item.step.ackedPerS > 0
    ? (((item.step.redisCpu - item.quietRedis) / 100) * 1e6) / item.step.ackedPerS
    : NaN;
/** A Redis counter over the step per acknowledged message. */
const perMessage = (item: ClusterStep, pick: (work: RedisWork) => number) =>
  item.redisWork && item.step.acked > 0 ? pick(item.redisWork) / item.step.acked : NaN;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const us = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} µs` : 'n/a');
const pct = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}%` : 'n/a');
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(3)}x` : 'n/a');

function summarize(
  cfg: ClusterConfig,
  results: Map<Key, ClusterStep[]>,
  appReadsSetting: boolean,
  profiles: string[],
): ScenarioOutcome {
  const steps = (layout: ClusterLayout, mode: PubSubMode) =>
    (results.get(`${layout}/${mode}`) ?? []).map((item) => item.step);
  const med = (layout: ClusterLayout, mode: PubSubMode, pick: (step: StepResult) => number) =>
    median(steps(layout, mode).map(pick));
  const deliveries = cfg.rate * cfg.roomSize;
  const at = `${cfg.rate} msg/s (${deliveries.toLocaleString('en-US')} deliveries/s), median of rounds`;
  const one = 'cluster one serving process';
  const spread = 'cluster spread evenly';
  const info = (row: Omit<SummaryRow, 'target' | 'pass'>): SummaryRow => ({
    ...row,
    target: 'info',
    pass: null,
  });
  const medItems = (layout: ClusterLayout, mode: PubSubMode, pick: (item: ClusterStep) => number) =>
    median((results.get(`${layout}/${mode}`) ?? []).map(pick));
  const medQuiet = (layout: ClusterLayout, mode: PubSubMode) =>
    median((results.get(`${layout}/${mode}`) ?? []).map((item) => sum(item.quiet.slice(1))));
  const redisText = (layout: ClusterLayout, mode: PubSubMode) => {
    const items = results.get(`${layout}/${mode}`) ?? [];
    const of = (pick: (work: RedisWork) => number) =>
      median(items.map((item) => perMessage(item, pick)));
    return (
      `${of((work) => work.publish + work.spublish).toFixed(2)}, ` +
      `${of((work) => work.commands).toFixed(2)}, ${of((work) => work.netOutBytes).toFixed(0)} B`
    );
  };
  /** An info row comparing one figure, sharded against classic. */
  const versus = (
    scenario: string,
    metric: string,
    of: (mode: PubSubMode) => number,
    format: (value: number) => string,
  ) =>
    info({
      scenario,
      metric: `${metric}, sharded vs classic`,
      ours: format(of('sharded')),
      baseline: format(of('classic')),
      ratio: ratio(of('sharded'), of('classic')),
    });
  const shardedShare = med('one', 'sharded', idleShare);
  const classicShare = med('one', 'classic', idleShare);
  const spreadRatio = ratio(med('spread', 'sharded', total), med('spread', 'classic', total));
  const all = [...results.values()].flat();
  const lost = all.filter((item) => !item.step.passed);
  const rows: SummaryRow[] = [
    {
      scenario: one,
      metric: `sharded: idle 3 processes' CPU per delivery / serving process's, at ${at}`,
      ours: us(med('one', 'sharded', idleSum)),
      baseline: us(med('one', 'sharded', serving)),
      ratio: Number.isFinite(shardedShare) ? shardedShare : null,
      target: `<= ${cfg.idleShareTarget}x`,
      pass: Number.isFinite(shardedShare) && shardedShare <= cfg.idleShareTarget,
    },
    info({
      scenario: one,
      metric: `classic (today): the same share`,
      ours: us(med('one', 'classic', idleSum)),
      baseline: us(med('one', 'classic', serving)),
      ratio: Number.isFinite(classicShare) ? classicShare : null,
    }),
    versus(one, `idle 3 processes' CPU per delivery`, (mode) => med('one', mode, idleSum), us),
    versus(one, `serving process's CPU per delivery`, (mode) => med('one', mode, serving), us),
    info({
      scenario: one,
      metric: `idle 3 processes' CPU with nothing sent (% of a core, sum), sharded vs classic`,
      ours: pct(medQuiet('one', 'sharded')),
      baseline: pct(medQuiet('one', 'classic')),
      ratio: null,
    }),
    {
      scenario: spread,
      metric: `cluster CPU per delivery (4 processes), sharded vs classic, at ${at}`,
      ours: us(med('spread', 'sharded', total)),
      baseline: us(med('spread', 'classic', total)),
      ratio: spreadRatio,
      target: `<= ${cfg.spreadCpuTarget}x`,
      pass: spreadRatio !== null && spreadRatio <= cfg.spreadCpuTarget,
    },
    versus(spread, 'e2e p99', (mode) => med('spread', mode, (step) => step.e2e.p99), ms),
    versus(spread, 'e2e p50', (mode) => med('spread', mode, (step) => step.e2e.p50), ms),
    versus(spread, 'Redis CPU per delivery', (mode) => med('spread', mode, redisPer), us),
    versus(
      spread,
      'Redis CPU per message, less its CPU with nothing sent',
      (mode) => medItems('spread', mode, redisNetPerMessage),
      us,
    ),
    ...(['one', 'spread'] as ClusterLayout[]).map((layout) =>
      info({
        scenario: layout === 'one' ? one : spread,
        metric: 'Redis per message: publishes, commands, bytes sent (sharded / classic)',
        ours: redisText(layout, 'sharded'),
        baseline: redisText(layout, 'classic'),
        ratio: null,
      }),
    ),
    {
      scenario: 'cluster',
      metric: 'every message acknowledged and delivered to every member, e2e p99 <= 250 ms',
      ours: `${all.length - lost.length} of ${all.length} steps`,
      baseline: '',
      ratio: null,
      target: 'all',
      pass: all.length > 0 && lost.length === 0,
    },
  ];

  const header = [
    'layout',
    'mode',
    'round',
    'delivered/s',
    'e2e p50',
    'e2e p99',
    'loop p99',
    'CPU 1 / 2 / 3 / 4',
    'quiet 1 / 2 / 3 / 4',
    'redis (quiet)',
    'pg',
    'serving/dlv',
    'idle 3/dlv',
    'idle share',
    'total/dlv',
    'redis/dlv',
    'channels',
    'redis cmd/msg',
    'pub/msg',
    'redis out/msg',
    'other',
    'result',
  ];
  const table: string[][] = [];
  for (const layout of ['one', 'spread'] as ClusterLayout[]) {
    for (const mode of ['classic', 'sharded'] as PubSubMode[]) {
      for (const item of results.get(`${layout}/${mode}`) ?? []) {
        const { step } = item;
        table.push([
          LAYOUT_LABEL[layout],
          mode,
          String(item.round),
          Math.round(step.deliveredPerS).toLocaleString('en-US'),
          ms(step.e2e.p50),
          ms(step.e2e.p99),
          ms(step.loopDelay?.p99),
          (step.serverCpus ?? []).map((cpu) => `${cpu.toFixed(1)}%`).join(' / '),
          item.quiet.map((cpu) => `${cpu.toFixed(1)}%`).join(' / '),
          `${(step.redisCpu ?? NaN).toFixed(1)}% (${item.quietRedis.toFixed(1)}%)`,
          `${step.pgCpu.toFixed(0)}%`,
          us(serving(step)),
          us(idleSum(step)),
          times(idleShare(step)),
          us(total(step)),
          us(redisPer(step)),
          `${item.channels} + ${item.shardChannels} shard`,
          perMessage(item, (work) => work.commands).toFixed(2),
          perMessage(item, (work) => work.publish + work.spublish).toFixed(2),
          `${perMessage(item, (work) => work.netOutBytes).toFixed(0)} B`,
          `${step.otherCpu.toFixed(0)}%`,
          step.passed ? 'ok' : step.why,
        ]);
      }
    }
  }
  const spreadOf = (layout: ClusterLayout, mode: PubSubMode, pick: (s: StepResult) => number) => {
    const values = steps(layout, mode).map(pick).filter(Number.isFinite);
    return values.length > 1 ? Math.max(...values) / Math.min(...values) - 1 : NaN;
  };
  const noise = (['classic', 'sharded'] as PubSubMode[])
    .map((mode) => {
      const value = spreadOf('spread', mode, total);
      return `${mode} ${Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : 'n/a (one round)'}`;
    })
    .join(', ');
  const idleEachText = (['classic', 'sharded'] as PubSubMode[])
    .map(
      (mode) =>
        `${mode} ${[0, 1, 2]
          .map((i) => us(median(steps('one', mode).map((step) => idleEach(step)[i]))))
          .join(' / ')}`,
    )
    .join('; ');
  const details = [
    `${cfg.processes} processes of our server on one PostgreSQL database and one Redis ` +
      `(${redisUrl()}); ${cfg.processes * cfg.talkingRooms} rooms of ${cfg.roomSize} users ` +
      `(${cfg.processes * cfg.talkingRooms * cfg.roomSize} sockets, ` +
      `${cfg.talkingRooms * cfg.roomSize} per process), ${cfg.talkingRooms} of them talking: ` +
      `${cfg.rate} msg/s from their members (round-robin, shuffled), ${cfg.stepMs / 1000} s ` +
      `steps (the measured one twice as long) after a warm-up. One serving process: the talking ` +
      `rooms all on process 1, each other process holding silent rooms of its own. Spread: ` +
      `member k of every room on process k mod ${cfg.processes}.`,
    `The app under test ${appReadsSetting ? 'reads' : 'does NOT read'} REDIS_PUBSUB` +
      (appReadsSetting ? '.' : ': both modes ran the classic adapter.') +
      ` "channels": the app's Redis channels and shard channels subscribed during the step.`,
    'CPU per delivery: a process CPU time over the step / deliveries; idle share = idle 3 / ' +
      'serving. CPU in % of one core; "quiet": each process with every socket connected and ' +
      'nothing sent, before the warm-up (for Redis in brackets); "other" excludes Redis and the ' +
      'bench PostgreSQL backends.',
    textTable(header, table),
    `Idle processes one by one (median CPU per delivery, processes 2 / 3 / 4): ${idleEachText}.`,
    `Spread of the rounds (max / min - 1) of the cluster CPU per delivery, spread layout: ${noise}.`,
  ].join('\n');
  const limits = [
    `cluster: ${appReadsSetting ? '' : 'the app ignores REDIS_PUBSUB (both modes classic); '}` +
      `${lost.length} of ${all.length} steps lost messages or missed the SLO` +
      (lost.length > 0 ? ` (${lost.map((item) => item.step.why).join('; ')})` : ''),
  ];
  return {
    name: 'cluster',
    rows,
    details,
    limits,
    raw: Object.fromEntries(results),
    profiles: [...new Set(profiles)],
  };
}
