/** What the orchestrator asks of the load generator, and what it answers. */
import type { LatencySummary } from './histogram';
import type { DbSample, LoopDelay, Target } from './protocol';

export interface RampSpec {
  /** The first step's rate (messages/s), the same for every server: the reference step. */
  referenceRate: number;
  /** Then from this rate upwards, multiplying by `factor` while steps pass. */
  from: number;
  factor: number;
  /** Bisection steps between the last passing and the first failing rate. */
  refine: number;
  /** Hard bounds on the number of steps and the highest rate tried. */
  maxSteps: number;
  maxRate: number;
  stepMs: number;
  /** How long to wait after a step for its acks and deliveries. */
  drainMs: number;
  /** A step passes only with this latency p99 (ms) or better ... */
  sloP99Ms: number;
  /** ... measured end to end (send to delivery) or send to ack. */
  sloOn: 'e2e' | 'ack';
  /** Sends in flight (unacknowledged) beyond which the generator skips a send (and fails). */
  maxInFlight: number;
}

/** One step at `rate` after the warm-up, instead of the climb (the same rate for every server). */
export function fixedRateRamp(ramp: RampSpec, rate: number): RampSpec {
  return { ...ramp, referenceRate: rate, from: rate, maxSteps: 1, refine: 0 };
}

/**
 * The ramp of a round: the first climbs from `ramp.from`; later ones start near the best of the
 * earlier rounds and move in finer steps.
 */
export function roundRamp(ramp: RampSpec, earlierBests: readonly (number | undefined)[]): RampSpec {
  const previousBest = Math.max(0, ...earlierBests.map((rate) => rate ?? 0));
  if (previousBest === 0) return ramp;
  return {
    ...ramp,
    from: Math.max(ramp.referenceRate * 1.05, previousBest * 0.8),
    factor: 1.15,
    refine: 1,
  };
}

/**
 * What the clients send in a ramp: `chat_message` (the default), or `react` on a room's messages,
 * each user toggling its own reactions so that every one is a real change: user u's k-th reaction
 * goes to its slot k mod `slotsPerUser` (a message and an emoji of its own), on in even passes
 * over its slots and off in odd ones.
 */
export type MessagingAction =
  | { kind: 'chat_message' }
  | {
      kind: 'react';
      /** The messages reacted to, each of the room of the sender's [user, room] pair. */
      messageIds: number[];
      emoji: string[];
      slotsPerUser: number;
    };

/** The clients of a session: connected (and joined) once, then any number of ramps. */
export interface SessionTask {
  target: Target;
  /** Token of each user index. */
  tokens: string[];
  /** Rooms with their member user indexes (each user has one socket). */
  rooms: { roomId: number; members: number[] }[];
  /** Who sends: [user index, room index] pairs, used round-robin in a shuffled order. */
  senders: [number, number][];
  connectConcurrency: number;
  connectDeadlineMs: number;
  /**
   * The port of each user's socket (by user index), when the users are spread over several
   * server processes (the cluster scenario); `target.port` for all otherwise.
   */
  ports?: number[];
  /** Ask every client to join_room its rooms (they are members already) before the ramp. */
  joinRooms: boolean;
  contentBytes: number;
  /**
   * Every client answers every chat_message it receives with `mark_read` (with ack) up to it:
   * the worst case of a client. A step then also needs every mark acknowledged ok.
   */
  markRead?: boolean;
  /** Ask the server for its database counters (DbSample) around each step. */
  dbStats?: boolean;
}

/** One ramp on the open session. */
export interface RampTask {
  action: MessagingAction;
  ramp: RampSpec;
}

/** A session with one ramp: connect, join, climb, close. */
export interface MessagingTask extends SessionTask {
  ramp: RampSpec;
  /** chat_message when absent. */
  action?: MessagingAction;
}

export interface StepResult {
  rate: number;
  passed: boolean;
  why: string;
  durationMs: number;
  planned: number;
  sent: number;
  skipped: number;
  acked: number;
  ackFailed: number;
  expected: number;
  delivered: number;
  /** Messages acknowledged per second, deliveries per second. */
  ackedPerS: number;
  deliveredPerS: number;
  e2e: LatencySummary;
  ack: LatencySummary;
  /** CPU use of the generator and of the server during the step, in % of one core. */
  generatorCpu: number;
  serverCpu: number;
  /** PostgreSQL backends of the bench's databases. */
  pgCpu: number;
  /** CPU used by every other process on the machine meanwhile (someone else's work). */
  otherCpu: number;
  /** A cluster of servers: each process's CPU (serverCpu is their sum), in % of one core. */
  serverCpus?: number[];
  /** A cluster of servers: their Redis's CPU (not counted in otherCpu). */
  redisCpu?: number;
  /** Times the step was run again because other processes disturbed it. */
  repeats: number;
  /** The server's event loop delay during the step (messaging steps). */
  loopDelay?: LoopDelay | null;
  /** mark_read sent (one per delivery) and acknowledged, with `markRead`. */
  marks?: { sent: number; acked: number; failed: number; ack: LatencySummary };
  /** The database counters' change from the step's start to the end of its drain (`dbStats`). */
  db?: { windowMs: number; delta: DbSample };
}

export interface MessagingResult {
  sockets: number;
  connectMs: number;
  connectFailures: number;
  steps: StepResult[];
  /** The highest passing step, or null when even the first one failed. */
  best: StepResult | null;
  reference: StepResult | null;
}

export interface ConnectionsTask {
  target: Target;
  tokens: string[];
  concurrency: number;
  deadlineMs: number;
}

export interface ConnectionsResult {
  sockets: number;
  failures: number;
  firstFailure: string | null;
  elapsedMs: number;
  perSecond: number;
  handshake: LatencySummary;
  generatorCpu: number;
  serverCpu: number;
  otherCpu: number;
}

export interface HistoryTask {
  port: number;
  rooms: { label: string; roomId: number; minId: number; maxId: number }[];
  limit: number;
  requestsPerRoom: number;
  warmupPerRoom: number;
  concurrency: number;
  deadlineMs: number;
}

export interface HistoryResult {
  rooms: {
    label: string;
    requests: number;
    errors: number;
    latency: LatencySummary;
    perSecond: number;
    firstError: string | null;
  }[];
  generatorCpu: number;
  serverCpu: number;
  pgCpu: number;
  /** Every other process. */
  otherCpu: number;
}

/** One REST request of the REST scenario, asked over and over with a token. */
export interface RestRoute {
  label: string;
  method: 'GET' | 'POST';
  /** The path; `{before}` stands for a random id in `before` (a history page further back). */
  path: string;
  /** Paths asked in turn instead of `path` (a mix of requests measured as one). */
  paths?: string[];
  before?: { min: number; max: number };
  /** A JSON body; `{n}` stands for a number unique to the request. */
  body?: string;
  /** The status every answer must have. */
  status: number;
  /** This route's own token (the task's tokens in turn otherwise). */
  token?: string;
}

export interface RestTask {
  port: number;
  /** Requests take these tokens in turn. */
  tokens: string[];
  routes: RestRoute[];
  requestsPerRoute: number;
  warmupPerRoute: number;
  /** Keep-alive clients, each asking again as soon as answered (closed loop). */
  concurrency: number;
  deadlineMs: number;
  /** The routes' requests alternate in blocks of this many (each route in turn otherwise). */
  interleave?: number;
}

export interface RestRouteResult {
  label: string;
  requests: number;
  errors: number;
  firstError: string | null;
  latency: LatencySummary;
  perSecond: number;
  /** Server CPU per request, microseconds (of the mix of routes, when interleaved). */
  serverCpuUsPerRequest: number;
  /** The same for the bench's PostgreSQL backends. */
  pgCpuUsPerRequest: number;
  serverCpu: number;
  pgCpu: number;
  generatorCpu: number;
  otherCpu: number;
}

export interface RestResult {
  routes: RestRouteResult[];
}
