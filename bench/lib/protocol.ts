/** Types shared by the orchestrator, the servers under test and the load generator. */

/** ours: the NestJS app; socketio: the plain Socket.IO baseline; ws: the plain ws ceiling. */
export type ServerKind = 'ours' | 'socketio' | 'ws';

/** How a client speaks to a server: Socket.IO (engine.io v4 over a WebSocket) or JSON frames. */
export type WireProtocol = 'socketio' | 'raw';

export const SERVER_LABEL: Record<ServerKind, string> = {
  ours: 'ours (NestJS)',
  socketio: 'plain socket.io',
  ws: 'plain ws (ceiling)',
};

export const PROTOCOL_OF: Record<ServerKind, WireProtocol> = {
  ours: 'socketio',
  socketio: 'socketio',
  ws: 'raw',
};

/**
 * Users u0..u(n-1) (with a prefix) and public rooms, each with its members (user indexes), and
 * optionally `messages` stored in a room (by index), sent in turn by its members.
 */
export interface SeedPlan {
  prefix: string;
  users: number;
  /** `reactions`: every seeded message gets `seededReactions` (our server only). */
  rooms: { members: number[]; messages?: number; reactions?: boolean }[];
}

export interface SeededUser {
  id: number;
  username: string;
  /** Our server's session for the user, which its tokens name; baselines have none. */
  sessionId?: string;
}

/** rooms-unread's load in memory (on PostgreSQL it is bulk-loaded with SQL). */
export interface UnreadSeedPlan {
  /** Rooms of each reader. */
  rooms: number;
  /** Messages in each of the busy reader's rooms, from the senders in turn, interleaved. */
  perRoom: number;
  senders: number;
  /** Every this many messages names the busy reader. */
  mentionEvery: number;
  /** Per busy room, the messages left unread. */
  unread: number[];
}

export interface UnreadSeedResult {
  busy: SeededUser;
  empty: SeededUser;
  messages: number;
  /** Messages naming the busy reader. */
  mentions: number;
}

export interface SeedResult {
  users: SeededUser[];
  roomIds: number[];
  /** Per room, the ids of its seeded messages (null where none were seeded). */
  messageIds: ({ min: number; max: number } | null)[];
}

/** The seeded messages' content, the same on every server. */
export function seededContent(index: number): string {
  return `seeded message ${index} ${'x'.repeat(60)}`;
}

/** The emoji of seeded reactions. */
export const SEEDED_EMOJI = ['👍', '❤️', '😂', '🎉', '🚀', '👀', '🔥', '✅'];

/**
 * The reactions of seeded message `index` of a room of `members` members (10 or more): 3 to 5
 * emoji, each by 1 to 4 of the members (indexes into the room's members), 10 on average; the same
 * on every store.
 */
export function seededReactions(
  index: number,
  members: number,
): { emoji: string; members: number[] }[] {
  if (members < 10) throw new Error('seeded reactions need rooms of 10 members or more');
  return Array.from({ length: 3 + (index % 3) }, (_, p) => ({
    emoji: SEEDED_EMOJI[(index + p) % SEEDED_EMOJI.length],
    members: Array.from({ length: 1 + ((index + p) % 4) }, (_, t) => (index + p + 3 * t) % members),
  }));
}

export interface MemorySample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Event loop delay over a span, in ms (monitorEventLoopDelay, sampled every 10 ms). */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/**
 * Our server's statements on PostgreSQL so far (counted by the bench launcher around the app's
 * DataSource), and PostgreSQL's own counters of the database.
 */
export interface DbSample {
  /** Statements the app sent through its DataSource. */
  statements: number;
  /** Of those, the read-position flushes (RoomsRepository.saveReadMarks), and rows they moved. */
  readMarkStatements: number;
  readMarkRows: number;
  /** pg_stat_user_tables.n_tup_upd of room_members (lags up to a second). */
  roomMembersUpdated: number;
  /** pg_stat_database.xact_commit of the database. */
  commits: number;
}

export interface CpuSample {
  /** Microseconds. */
  user: number;
  system: number;
  /** A cluster of servers: user and system are the sum, and these each process's own. */
  each?: CpuSample[];
  /** A cluster of servers: their Redis's CPU time (from INFO cpu). */
  redis?: CpuSample;
}

/** Where the generator finds a server. */
export interface Target {
  kind: ServerKind;
  protocol: WireProtocol;
  port: number;
}
