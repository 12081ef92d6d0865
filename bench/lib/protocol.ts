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
  rooms: { members: number[]; messages?: number }[];
}

export interface SeededUser {
  id: number;
  username: string;
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

export interface CpuSample {
  /** Microseconds. */
  user: number;
  system: number;
}

/** Where the generator finds a server. */
export interface Target {
  kind: ServerKind;
  protocol: WireProtocol;
  port: number;
}
