/**
 * The load generator: a process of its own (never the server's), driving many WebSocket clients
 * or HTTP requests at 127.0.0.1 and measuring latencies on its own clock. It reports its own CPU
 * use (process.cpuUsage) with every figure, so a saturated generator shows.
 */
import { Agent, request as httpRequest } from 'node:http';
import { Histogram, nowUs } from '../lib/histogram';
import { Ipc } from '../lib/ipc';
import type { CpuSample, DbSample, LoopDelay, MemorySample } from '../lib/protocol';
import type {
  ConnectionsResult,
  ConnectionsTask,
  HistoryResult,
  HistoryTask,
  RestResult,
  RestRouteResult,
  RestTask,
  MessagingAction,
  MessagingResult,
  MessagingTask,
  RampSpec,
  RampTask,
  SessionTask,
  StepResult,
} from '../lib/tasks';
import { benchPostgresCpuUs, machinePercent, machineSample, waitForQuiet } from '../lib/machine';
import { CpuMeter, pool, prng, shuffle, sleep } from '../lib/util';
import { connectClient, connectMany, LoadClient, requestAck } from './clients';

const ipc = new Ipc(process, 'generator parent');
process.on('disconnect', () => process.exit(0));

const serverCpu = (): Promise<CpuSample> => ipc.request('server', { type: 'cpu' });
const serverLoop = (type: 'loop-start' | 'loop-stop'): Promise<LoopDelay | null> =>
  ipc.request('server', { type });
const serverDb = (): Promise<DbSample> => ipc.request('server', { type: 'db' });
const serverMem = (): Promise<MemorySample> => ipc.request('server', { type: 'mem' }, 60_000);
const cpuPercent = (a: CpuSample, b: CpuSample, wallMs: number) =>
  wallMs <= 0 ? 0 : ((b.user - a.user + b.system - a.system) / 1000 / wallMs) * 100;

const STAMP = Buffer.from('"content":"~');
/** A step during which other processes used more than this (% of a core) is run again. */
const DISTURBED_CPU = 12;
const MAX_REPEATS = 2;
const log = (line: string) => ipc.emit('progress', { line });

/**
 * CPU of the server, the bench's PostgreSQL backends and everything else over a measured span. A
 * cluster of servers answers with the sum, each process's own (`each`) and its Redis's (`redis`).
 */
class LoadMeter {
  private server0: CpuSample = { user: 0, system: 0 };
  private machine0 = machineSample();
  private pg0 = 0;
  private readonly own = new CpuMeter();
  private wall0 = 0;

  async start(): Promise<void> {
    this.server0 = await serverCpu();
    this.pg0 = benchPostgresCpuUs();
    this.machine0 = machineSample();
    this.wall0 = performance.now();
    this.own.start();
  }

  async stop(): Promise<{
    generator: number;
    server: number;
    pg: number;
    other: number;
    servers?: number[];
    redis?: number;
  }> {
    const wallMs = performance.now() - this.wall0;
    const generator = this.own.percent();
    const machine = machinePercent(this.machine0, machineSample());
    const pg = wallMs > 0 ? ((benchPostgresCpuUs() - this.pg0) / 1000 / wallMs) * 100 : 0;
    const server1 = await serverCpu();
    const server = cpuPercent(this.server0, server1, wallMs);
    const each0 = this.server0.each;
    const servers =
      each0 && server1.each
        ? server1.each.map((sample, i) => cpuPercent(each0[i], sample, wallMs))
        : undefined;
    const redis =
      this.server0.redis && server1.redis
        ? cpuPercent(this.server0.redis, server1.redis, wallMs)
        : undefined;
    return {
      generator,
      server,
      pg: Math.max(0, pg),
      other: Math.max(0, machine - generator - server - Math.max(0, pg) - (redis ?? 0)),
      servers,
      redis,
    };
  }
}

class StepCounters {
  sent = 0;
  acked = 0;
  ackFailed = 0;
  inFlight = 0;
  expected = 0;
  delivered = 0;
  readonly e2e = new Histogram();
  readonly ack = new Histogram();
  /** message_updated deliveries as [change_id, receive time (µs)] pairs, timed after the step. */
  readonly deliveries: number[] = [];
  /** Send time (µs) of each acknowledged reaction, by the change_id its ack carried. */
  readonly sentAt = new Map<number, number>();
  /** mark_read answers to this step's messages. */
  marksSent = 0;
  marksAcked = 0;
  marksFailed = 0;
  readonly markAck = new Histogram();
}

/** A step's rate: whole messages per second, tenths below 10 (a ramp may start under 1/s). */
const stepRate = (rate: number) =>
  rate >= 10 ? Math.round(rate) : Math.max(0.1, Math.round(rate * 10) / 10);

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

function readInt(data: Buffer, start: number): [number, number] {
  let value = 0;
  let i = start;
  while (i < data.length && data[i] >= 0x30 && data[i] <= 0x39)
    value = value * 10 + data[i++] - 0x30;
  return [value, i];
}

async function openAll(
  task: { tokens: string[]; connectConcurrency: number; connectDeadlineMs: number },
  open: (token: string, index: number) => Promise<LoadClient>,
): Promise<{ clients: LoadClient[]; elapsedMs: number }> {
  const { clients, elapsedMs, failures } = await connectMany(
    task.tokens.length,
    task.connectConcurrency,
    (i) => open(task.tokens[i], i),
    task.connectDeadlineMs,
  );
  const missing = clients.filter((client) => client === null).length;
  if (missing > 0) {
    for (const client of clients) client?.close();
    throw new Error(
      `${missing} of ${clients.length} sockets did not connect within ` +
        `${task.connectDeadlineMs} ms (first error: ${failures[0] ?? 'deadline'})`,
    );
  }
  return { clients: clients as LoadClient[], elapsedMs };
}

/** Connected clients, kept across the ramps of a session. */
interface Session {
  task: SessionTask;
  clients: LoadClient[];
  connectMs: number;
  /** Counters of every step of the session, by step id (the stamp in a message's content). */
  counters: StepCounters[];
  /** The step running now: where frames that carry no stamp (message_updated) are counted. */
  currentStep: number;
  nextStepId: number;
  order: [number, number][];
  cursor: number;
  seq: number;
  runTag: string;
  /** Reactions each user sent so far (their slots' on/off state follows from it). */
  reactionsOf: Map<number, number>;
}

let session: Session | null = null;

const CHANGE_ID = Buffer.from('"change_id":');
const MESSAGE_ID = Buffer.from(',"id":');
const ROOM_ID = Buffer.from(',"room_id":');

/** mark_read up to the message just received (a chat_message frame), as the worst client would. */
function markRead(client: LoadClient, data: Buffer, c: StepCounters): void {
  const idAt = data.indexOf(MESSAGE_ID);
  const roomAt = data.indexOf(ROOM_ID);
  if (idAt < 0 || roomAt < 0) return;
  const payload = {
    room_id: readInt(data, roomAt + ROOM_ID.length)[0],
    last_read_id: readInt(data, idAt + MESSAGE_ID.length)[0],
  };
  const sentUs = nowUs();
  c.marksSent++;
  client.request('mark_read', payload, (ok) => {
    if (!ok) return void c.marksFailed++;
    c.marksAcked++;
    c.markAck.recordUs(nowUs() - sentUs);
  });
}

/** The change_id of a message frame or ack: near the message's end, so searched from there. */
function changeIdOf(data: Buffer): number {
  const at = data.lastIndexOf(CHANGE_ID);
  return at < 0 ? -1 : readInt(data, at + CHANGE_ID.length)[0];
}

async function openSession(task: SessionTask): Promise<Session> {
  closeSession();
  const { target } = task;
  // With `ports`, each user's socket goes to the server process the layout gives it.
  const { clients, elapsedMs: connectMs } = await openAll(task, (token, i) =>
    connectClient(target.protocol, task.ports?.[i] ?? target.port, token),
  );
  const opened: Session = {
    task,
    clients,
    connectMs,
    counters: [],
    currentStep: 0,
    nextStepId: 1,
    order: shuffle([...task.senders], prng(7)),
    cursor: 0,
    seq: 0,
    runTag: Math.random().toString(36).slice(2, 8),
    reactionsOf: new Map(),
  };
  session = opened;
  try {
    if (task.joinRooms) {
      const joins = task.rooms.flatMap((room) =>
        room.members.map((member) => [member, room.roomId] as const),
      );
      let failed = 0;
      await pool(joins.length, 200, async (i) => {
        const [member, roomId] = joins[i];
        if (!(await requestAck(clients[member], 'join_room', { room_id: roomId }))) failed++;
      });
      if (failed > 0) throw new Error(`${failed} of ${joins.length} join_room acks failed`);
    }
    const onChat = (data: Buffer): StepCounters | undefined => {
      const at = data.indexOf(STAMP);
      if (at < 0) return;
      const [step, next] = readInt(data, at + STAMP.length);
      const [sentUs] = readInt(data, next + 1);
      const step_ = opened.counters[step];
      if (!step_) return;
      step_.delivered++;
      step_.e2e.recordUs(nowUs() - sentUs);
      return step_;
    };
    // No stamp to read: counted in the step running now, timed by change_id after the step.
    const onUpdated = (data: Buffer) => {
      const step_ = opened.counters[opened.currentStep];
      if (!step_) return;
      step_.delivered++;
      step_.deliveries.push(changeIdOf(data), nowUs());
    };
    for (const client of clients) {
      client.onChatMessage = task.markRead
        ? (data) => {
            const step_ = onChat(data);
            if (step_) markRead(client, data, step_);
          }
        : onChat;
      client.onMessageUpdated = onUpdated;
    }
    // Let presence and join events settle before measuring.
    await sleep(500);
    return opened;
  } catch (error) {
    closeSession();
    throw error;
  }
}

function closeSession(): void {
  if (!session) return;
  for (const client of session.clients) client.close();
  session = null;
}

async function runMessaging(task: MessagingTask): Promise<MessagingResult> {
  const opened = await openSession(task);
  try {
    return await runRamp(opened, task.action ?? { kind: 'chat_message' }, task.ramp);
  } finally {
    closeSession();
    await sleep(300);
  }
}

/** A warm-up, the reference step, then rates rising until one fails, then a bisection. */
async function runRamp(
  s: Session,
  action: MessagingAction,
  ramp: RampSpec,
): Promise<MessagingResult> {
  const { task, clients } = s;
  const { target } = task;
  const unit = action.kind === 'react' ? 'reactions/s' : 'msg/s';
  const roomSize = task.rooms.map((room) => room.members.length);
  const pad = 'x'.repeat(Math.max(0, task.contentBytes - 24));

  /** Sends the next chat_message or reaction of the round-robin, counted in `c`. */
  const sendNext = (stepId: number, c: StepCounters) => {
    const [user, room] = s.order[s.cursor++ % s.order.length];
    const sentUs = nowUs();
    c.inFlight++;
    c.sent++;
    let payload: Record<string, unknown>;
    if (action.kind === 'react') {
      const k = s.reactionsOf.get(user) ?? 0;
      s.reactionsOf.set(user, k + 1);
      const slots = action.slotsPerUser;
      const pair = (user * slots + (k % slots)) % (action.messageIds.length * action.emoji.length);
      payload = {
        room_id: task.rooms[room].roomId,
        message_id: action.messageIds[pair % action.messageIds.length],
        emoji: action.emoji[Math.floor(pair / action.messageIds.length)],
        on: Math.floor(k / slots) % 2 === 0,
      };
    } else {
      payload = {
        room_id: task.rooms[room].roomId,
        content: `~${stepId}~${sentUs}~${pad}`,
        client_msg_id: `${s.runTag}-${s.seq++}`,
      };
    }
    clients[user].request(action.kind, payload, (ok, data) => {
      c.inFlight--;
      if (ok) {
        c.acked++;
        c.expected += roomSize[room];
        c.ack.recordUs(nowUs() - sentUs);
        if (action.kind === 'react' && data) c.sentAt.set(changeIdOf(data), sentUs);
      } else {
        c.ackFailed++;
      }
    });
  };

  const runStep = async (stepId: number, rate: number, stepMs: number): Promise<StepResult> => {
    const c = (s.counters[stepId] = new StepCounters());
    s.currentStep = stepId;
    const planned = Math.max(1, Math.round((rate * stepMs) / 1000));
    const load = new LoadMeter();
    const db0 = task.dbStats ? await serverDb() : null;
    await serverLoop('loop-start');
    await load.start();
    const start = performance.now();
    let skipped = 0;
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= stepMs) break;
      const due = Math.min(planned, Math.floor((elapsed * rate) / 1000) + 1) - c.sent - skipped;
      for (let i = 0; i < due; i++) {
        if (c.inFlight >= ramp.maxInFlight) skipped++;
        else sendNext(stepId, c);
      }
      await sleep(1);
    }
    const durationMs = performance.now() - start;
    const cpu = await load.stop();
    const loopDelay = await serverLoop('loop-stop');
    const drainStart = performance.now();
    while (
      performance.now() - drainStart < ramp.drainMs &&
      !(
        c.acked + c.ackFailed >= c.sent &&
        c.delivered >= c.expected &&
        c.marksAcked + c.marksFailed >= c.marksSent
      )
    ) {
      await sleep(5);
    }
    const db1 = db0 ? await serverDb() : null;
    const dbWindowMs = performance.now() - start;
    // Deliveries without a stamp: timed from the send their change_id was acknowledged for.
    for (let i = 0; i < c.deliveries.length; i += 2) {
      const sentUs = c.sentAt.get(c.deliveries[i]);
      if (sentUs !== undefined) c.e2e.recordUs(c.deliveries[i + 1] - sentUs);
    }
    c.deliveries.length = 0;
    c.sentAt.clear();
    const e2e = c.e2e.summary();
    const ack = c.ack.summary();
    const why: string[] = [];
    if (skipped > 0) why.push(`${skipped} sends skipped (over ${ramp.maxInFlight} in flight)`);
    else if (c.sent < planned * 0.97) why.push(`generator sent ${c.sent} of ${planned}`);
    if (c.ackFailed > 0) why.push(`${c.ackFailed} error acks`);
    if (c.acked + c.ackFailed < c.sent) why.push(`${c.sent - c.acked - c.ackFailed} unacked`);
    if (c.delivered < c.expected) why.push(`${c.expected - c.delivered} deliveries missing`);
    if (c.marksFailed > 0) why.push(`${c.marksFailed} mark_read error acks`);
    const marksUnacked = c.marksSent - c.marksAcked - c.marksFailed;
    if (marksUnacked > 0) why.push(`${marksUnacked} mark_read unacked`);
    const p99 = ramp.sloOn === 'e2e' ? e2e.p99 : ack.p99;
    if (!(p99 <= ramp.sloP99Ms)) {
      why.push(`${ramp.sloOn} p99 ${p99.toFixed(1)} ms > ${ramp.sloP99Ms} ms`);
    }
    return {
      rate,
      passed: why.length === 0,
      why: why.join('; '),
      durationMs,
      planned,
      sent: c.sent,
      skipped,
      acked: c.acked,
      ackFailed: c.ackFailed,
      expected: c.expected,
      delivered: c.delivered,
      ackedPerS: (c.acked / durationMs) * 1000,
      deliveredPerS: (c.delivered / durationMs) * 1000,
      e2e,
      ack,
      generatorCpu: cpu.generator,
      serverCpu: cpu.server,
      pgCpu: cpu.pg,
      otherCpu: cpu.other,
      serverCpus: cpu.servers,
      redisCpu: cpu.redis,
      repeats: 0,
      loopDelay,
      marks: task.markRead
        ? {
            sent: c.marksSent,
            acked: c.marksAcked,
            failed: c.marksFailed,
            ack: c.markAck.summary(),
          }
        : undefined,
      db:
        db0 && db1
          ? {
              windowMs: dbWindowMs,
              delta: {
                statements: db1.statements - db0.statements,
                readMarkStatements: db1.readMarkStatements - db0.readMarkStatements,
                readMarkRows: db1.readMarkRows - db0.readMarkRows,
                roomMembersUpdated: db1.roomMembersUpdated - db0.roomMembersUpdated,
                commits: db1.commits - db0.commits,
              },
            }
          : undefined,
    };
  };

  const steps: StepResult[] = [];
  const run = async (rate: number, record = true, stepMs = ramp.stepMs) => {
    let result = await runStep(s.nextStepId++, stepRate(rate), stepMs);
    for (let repeat = 1; repeat <= MAX_REPEATS && result.otherCpu > DISTURBED_CPU; repeat++) {
      log(
        `  ${target.kind} ${result.rate} ${unit} disturbed: other processes used ` +
          `${result.otherCpu.toFixed(0)}% of a core; running the step again`,
      );
      await waitForQuiet(log, 15, 30_000);
      result = { ...(await runStep(s.nextStepId++, result.rate, stepMs)), repeats: repeat };
    }
    const sloP99 = ramp.sloOn === 'e2e' ? result.e2e.p99 : result.ack.p99;
    const marginal =
      result.skipped === 0 &&
      result.ackFailed === 0 &&
      result.sent >= result.planned * 0.97 &&
      sloP99 <= ramp.sloP99Ms * 4;
    if (record && !result.passed && marginal) {
      // A marginal failure is confirmed by a second try, so one stall does not end the climb.
      log(`  ${target.kind} ${result.rate} ${unit} failed (${result.why}); trying once more`);
      await sleep(400);
      const again = await runStep(s.nextStepId++, result.rate, stepMs);
      result = { ...again, repeats: result.repeats + 1, why: again.passed ? '' : again.why };
    }
    if (record) steps.push(result);
    ipc.emit('progress', {
      line:
        `  ${target.kind} ${String(result.rate).padStart(6)} ${unit}: ` +
        `${Math.round(result.deliveredPerS)} deliveries/s, e2e p99 ` +
        `${result.e2e.p99.toFixed(1)} ms, ack p99 ${result.ack.p99.toFixed(1)} ms, ` +
        `gen ${result.generatorCpu.toFixed(0)}% srv ${result.serverCpu.toFixed(0)}% ` +
        (result.serverCpus
          ? `(${result.serverCpus.map((cpu) => cpu.toFixed(1)).join(' + ')}) `
          : '') +
        (result.redisCpu !== undefined ? `redis ${result.redisCpu.toFixed(0)}% ` : '') +
        (result.pgCpu >= 1 ? `pg ${result.pgCpu.toFixed(0)}% ` : '') +
        `other ${result.otherCpu.toFixed(0)}%` +
        (result.marks
          ? `, mark_read ${result.marks.acked}/${result.marks.sent} acked (p99 ` +
            `${result.marks.ack.p99.toFixed(1)} ms)`
          : '') +
        (result.db
          ? `, db ${perSecond(result.db.delta.statements, result.db.windowMs)} stmt/s, ` +
            `${perSecond(result.db.delta.readMarkRows, result.db.windowMs)} read rows/s`
          : '') +
        (record ? '' : '  (warm-up, not counted)') +
        (result.passed ? '' : `  FAIL: ${result.why}`),
    });
    // Let queues empty (and late deliveries land) before the next step.
    await sleep(400);
    s.currentStep = 0;
    return result;
  };

  // A warm-up step (JIT, buffers, first GCs), then the reference step every server runs alike.
  await run(ramp.referenceRate, false);
  // The reference step is twice as long: its p99 is compared between servers.
  const reference = await run(ramp.referenceRate, true, ramp.stepMs * 2);
  let lastPass: number | null = reference.passed ? reference.rate : null;
  let firstFail: number | null = reference.passed ? null : reference.rate;
  if (reference.passed) {
    let rate = Math.max(ramp.from, reference.rate * 1.05);
    while (steps.length < ramp.maxSteps && rate <= ramp.maxRate) {
      const result = await run(rate);
      if (!result.passed) {
        firstFail = result.rate;
        break;
      }
      lastPass = result.rate;
      rate *= ramp.factor;
    }
    // A later round starts near an earlier best: when that first step fails, step down from it
    // rather than bisecting all the way from the reference rate.
    for (
      let rate = (firstFail ?? 0) / ramp.factor;
      lastPass === reference.rate && rate > reference.rate && steps.length < ramp.maxSteps;
      rate /= ramp.factor
    ) {
      const result = await run(rate);
      if (result.passed) lastPass = result.rate;
      else firstFail = result.rate;
    }
  } else {
    // Even the reference rate fails: look lower, a bounded number of times.
    const lowest = Math.min(1, ramp.referenceRate / 4);
    for (let rate = ramp.referenceRate / 2; steps.length < 3 && rate >= lowest; rate /= 2) {
      const result = await run(rate);
      if (result.passed) {
        lastPass = result.rate;
        break;
      }
      firstFail = result.rate;
    }
  }
  for (let k = 0; k < ramp.refine && steps.length < ramp.maxSteps; k++) {
    if (lastPass === null || firstFail === null || firstFail / lastPass < 1.04) break;
    const result = await run(Math.sqrt(lastPass * firstFail));
    if (result.passed) lastPass = result.rate;
    else firstFail = result.rate;
  }
  const passed = steps.filter((step) => step.passed);
  const best = passed.reduce<StepResult | null>(
    (top, step) => (top === null || step.rate >= top.rate ? step : top),
    null,
  );
  return {
    sockets: clients.length,
    connectMs: s.connectMs,
    connectFailures: 0,
    steps,
    best,
    reference,
  };
}

async function runConnections(task: ConnectionsTask): Promise<{
  result: ConnectionsResult;
  connected: MemorySample;
  afterClose: MemorySample;
}> {
  const handshake = new Histogram();
  await waitForQuiet(log, 15, 30_000);
  const load = new LoadMeter();
  await load.start();
  const { clients, elapsedMs, failures } = await connectMany(
    task.tokens.length,
    task.concurrency,
    async (i) => {
      const startUs = nowUs();
      const client = await connectClient(task.target.protocol, task.target.port, task.tokens[i]);
      handshake.recordUs(nowUs() - startUs);
      return client;
    },
    task.deadlineMs,
  );
  const cpu = await load.stop();
  const open = clients.filter((client): client is LoadClient => client !== null);
  try {
    await sleep(1_000);
    const connected = await serverMem();
    for (const client of open) client.close();
    await sleep(2_000);
    const afterClose = await serverMem();
    return {
      result: {
        sockets: open.length,
        failures: task.tokens.length - open.length,
        firstFailure: failures[0] ?? null,
        elapsedMs,
        perSecond: (open.length / elapsedMs) * 1000,
        handshake: handshake.summary(),
        generatorCpu: cpu.generator,
        serverCpu: cpu.server,
        otherCpu: cpu.other,
      },
      connected,
      afterClose,
    };
  } finally {
    for (const client of open) client.close();
  }
}

/** One request on a keep-alive agent: its status and body. */
function fetchPage(
  agent: Agent,
  port: number,
  path: string,
  options: { method?: 'GET' | 'POST'; token?: string; body?: string } = {},
): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const method = options.method ?? 'GET';
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method, headers, agent, timeout: 10_000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve([response.statusCode ?? 0, body]));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out after 10 s')));
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * Each route in turn: a warm-up, then `requestsPerRoute` requests from `concurrency` keep-alive
 * clients in a closed loop, with the server's CPU measured over that route alone. With
 * `interleave`, the routes' requests alternate in blocks of that many instead (so a drift of the
 * machine hits them alike), and the CPU figures are those of the mix.
 */
async function runRest(task: RestTask): Promise<RestResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: task.concurrency });
  const random = prng(13);
  const started = performance.now();
  let sequence = 0;
  const stats = task.routes.map(() => ({
    latency: new Histogram(),
    requests: 0,
    errors: 0,
    firstError: null as string | null,
  }));
  const fire = async (r: number, measure: boolean) => {
    const route = task.routes[r];
    const n = ++sequence;
    const before = route.before
      ? route.before.min + 1 + Math.floor(random() * (route.before.max - route.before.min))
      : 0;
    const template = route.paths ? route.paths[n % route.paths.length] : route.path;
    const path = template.replace('{before}', String(before));
    const body = route.body?.replaceAll('{n}', String(n));
    const token = route.token ?? task.tokens[n % task.tokens.length];
    const startUs = nowUs();
    let error: string | null = null;
    try {
      const [status, text] = await fetchPage(agent, task.port, path, {
        method: route.method,
        token,
        body,
      });
      if (status !== route.status) error = `HTTP ${status} for ${path}: ${text.slice(0, 200)}`;
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    if (!measure) return;
    const stat = stats[r];
    stat.requests++;
    if (error === null) stat.latency.recordUs(nowUs() - startUs);
    else {
      stat.errors++;
      stat.firstError ??= error;
    }
  };
  const run = async (jobs: number[], measure: boolean) => {
    const load = new LoadMeter();
    await load.start();
    const measuredStart = performance.now();
    await pool(jobs.length, task.concurrency, async (i) => {
      if (!measure || performance.now() - started <= task.deadlineMs) await fire(jobs[i], measure);
    });
    return { wallMs: performance.now() - measuredStart, cpu: await load.stop() };
  };
  /** Route r's figures; `requests` is what the CPU was spent on (all routes, when interleaved). */
  const resultOf = (
    r: number,
    { wallMs, cpu }: Awaited<ReturnType<typeof run>>,
    requests: number,
  ): RestRouteResult => {
    const stat = stats[r];
    const perRequest = (percent: number) =>
      requests > 0 ? ((percent / 100) * wallMs * 1000) / requests : 0;
    return {
      label: task.routes[r].label,
      requests: stat.requests,
      errors: stat.errors,
      firstError: stat.firstError,
      latency: stat.latency.summary(),
      perSecond: (stat.requests / wallMs) * 1000,
      serverCpuUsPerRequest: perRequest(cpu.server),
      pgCpuUsPerRequest: perRequest(cpu.pg),
      serverCpu: cpu.server,
      pgCpu: cpu.pg,
      generatorCpu: cpu.generator,
      otherCpu: cpu.other,
    };
  };
  const routes = task.routes.map((_, r) => r);
  try {
    if (task.interleave) {
      const blocks = (count: number) => {
        const jobs: number[] = [];
        for (let done = 0; done < count; done += task.interleave!) {
          for (const r of routes) {
            for (let k = 0; k < Math.min(task.interleave!, count - done); k++) jobs.push(r);
          }
        }
        return jobs;
      };
      await run(blocks(task.warmupPerRoute), false);
      const measured = await run(blocks(task.requestsPerRoute), true);
      const total = stats.reduce((sum, stat) => sum + stat.requests, 0);
      return { routes: routes.map((r) => resultOf(r, measured, total)) };
    }
    const results: RestRouteResult[] = [];
    for (const r of routes) {
      await run(Array<number>(task.warmupPerRoute).fill(r), false);
      const measured = await run(Array<number>(task.requestsPerRoute).fill(r), true);
      results.push(resultOf(r, measured, stats[r].requests));
    }
    return { routes: results };
  } finally {
    agent.destroy();
  }
}

async function runHistory(task: HistoryTask): Promise<HistoryResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: task.concurrency });
  const random = prng(11);
  const started = performance.now();
  const stats = task.rooms.map((room) => ({
    label: room.label,
    requests: 0,
    errors: 0,
    latency: new Histogram(),
    busyMs: 0,
    firstError: null as string | null,
  }));
  const pathFor = (r: number) => {
    const room = task.rooms[r];
    const before = room.minId + 1 + Math.floor(random() * (room.maxId - room.minId + 1));
    return `/api/rooms/${room.roomId}/messages?limit=${task.limit}&before=${before}`;
  };
  const fire = async (r: number, measure: boolean) => {
    const path = pathFor(r);
    const startUs = nowUs();
    let error: string | null = null;
    try {
      const [status, body] = await fetchPage(agent, task.port, path);
      if (status !== 200) error = `HTTP ${status} for ${path}: ${body.slice(0, 200)}`;
      else if (!body.startsWith('[')) error = `not an array for ${path}`;
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    if (!measure) return;
    const stat = stats[r];
    stat.requests++;
    if (error !== null) {
      stat.errors++;
      stat.firstError ??= error;
    } else {
      stat.latency.recordUs(nowUs() - startUs);
    }
  };
  // Warm up every room (plans, buffers, JIT), then interleave the rooms in blocks of 50, so a
  // drift in the machine's state hits them alike.
  const warmup = task.rooms.flatMap((_, r) => Array<number>(task.warmupPerRoom).fill(r));
  await pool(warmup.length, task.concurrency, (i) => fire(warmup[i], false));
  const jobs: number[] = [];
  for (let done = 0; done < task.requestsPerRoom; done += 50) {
    for (let r = 0; r < task.rooms.length; r++) {
      for (let k = 0; k < Math.min(50, task.requestsPerRoom - done); k++) jobs.push(r);
    }
  }
  const load = new LoadMeter();
  await load.start();
  const measuredStart = performance.now();
  await pool(jobs.length, task.concurrency, async (i) => {
    if (performance.now() - started > task.deadlineMs) return;
    await fire(jobs[i], true);
  });
  const wallMs = performance.now() - measuredStart;
  const cpu = await load.stop();
  agent.destroy();
  return {
    rooms: stats.map((stat) => ({
      label: stat.label,
      requests: stat.requests,
      errors: stat.errors,
      latency: stat.latency.summary(),
      perSecond: (stat.requests / wallMs) * 1000,
      firstError: stat.firstError,
    })),
    generatorCpu: cpu.generator,
    serverCpu: cpu.server,
    pgCpu: cpu.pg,
    otherCpu: cpu.other,
  };
}

ipc
  .handle('stop', () => {
    setTimeout(() => process.exit(0), 20);
    return true;
  })
  .handle('messaging', (task: MessagingTask) => runMessaging(task))
  .handle('session-open', async (task: SessionTask) => {
    const opened = await openSession(task);
    return { sockets: opened.clients.length, connectMs: opened.connectMs };
  })
  .handle('session-ramp', (task: RampTask) => {
    if (!session) throw new Error('no session open');
    return runRamp(session, task.action, task.ramp);
  })
  .handle('session-close', async () => {
    closeSession();
    await sleep(300);
    return true;
  })
  .handle('connections', (task: ConnectionsTask) => runConnections(task))
  .handle('history', (task: HistoryTask) => runHistory(task))
  .handle('rest', (task: RestTask) => runRest(task));
ipc.emit('ready', { pid: process.pid });
