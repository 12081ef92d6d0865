import { createHmac } from 'node:crypto';
import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { ClientOptions, RawData, WebSocket } from 'ws';

/** How long any single real-time wait may take before it fails the test with a clear message. */
export const EVENT_TIMEOUT_MS = 5_000;

export type SocketIoOptions = Partial<ManagerOptions & SocketOptions>;
/** A JSON value received from the server: tests read its fields freely and assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Received = any;
/** A parsed JSON frame of the raw WebSocket endpoint. */
export type Frame = Record<string, Received>;
export type Predicate<T = Received> = (value: T) => boolean;

/** The outcome of a Socket.IO handshake: connected, or refused with `connect_error`. */
export interface SocketConnection {
  socket: Socket;
  /** Set when the handshake was refused: the `connect_error`. */
  error?: Error;
}

/** The outcome of a raw WebSocket handshake: open, or refused with an HTTP status. */
export interface RawConnection {
  ws: WebSocket;
  /** Set when the server answered the upgrade request with an HTTP response instead. */
  status?: number;
}

function timeoutError(what: string, timeoutMs: number, seen: unknown[]): Error {
  const shown = seen.slice(-5).map((item) => JSON.stringify(item)?.slice(0, 300));
  return new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}` +
      (seen.length > 0
        ? `; saw ${seen.length} other(s), last: ${shown.join(' | ')}`
        : '; saw none'),
  );
}

/**
 * Opens a Socket.IO client (WebSocket transport, `auth: {token}`, its own connection, no automatic
 * reconnection unless `options` ask for it) and waits for `connect` or `connect_error`.
 */
export function connectSocket(
  url: string,
  token: string | undefined,
  options: SocketIoOptions = {},
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<SocketConnection> {
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: token === undefined ? {} : { token },
    ...options,
  });
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
    };
    const onConnect = () => {
      cleanup();
      resolve({ socket });
    };
    const onError = (error: Error) => {
      cleanup();
      resolve({ socket, error });
    };
    const timer = setTimeout(() => {
      cleanup();
      socket.disconnect();
      reject(new Error(`socket.io: neither connect nor connect_error within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', onConnect);
    socket.on('connect_error', onError);
  });
}

/** ws://host:port/api/ws?token=... for an app's http://host:port. */
export function rawUrl(url: string, token?: string): string {
  const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
  return `${url.replace(/^http/, 'ws')}/api/ws${query}`;
}

/**
 * Opens a raw WebSocket to `/api/ws` and waits for `open`, or for the HTTP answer that refused the
 * upgrade (`unexpected-response`), whose status it returns.
 */
export function openRaw(
  url: string,
  token: string | undefined,
  options: ClientOptions = {},
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<RawConnection> {
  const ws = new WebSocket(rawUrl(url, token), options);
  // Errors after the outcome is known (an aborted refused handshake, a reset) are not failures here.
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`raw ws: neither open nor an HTTP answer within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({ ws });
    });
    ws.once('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      response.resume();
      resolve({ ws, status: response.statusCode });
      ws.terminate();
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`raw ws: handshake failed: ${error.message}`));
    });
  });
}

/**
 * Resolves with the payload of the first `name` event (matching `predicate`) that arrives from now
 * on; rejects after `timeoutMs` naming what it waited for and what it saw instead.
 */
export function nextEvent<T = Received>(
  socket: Socket,
  name: string,
  predicate: Predicate<T> = () => true,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<T> {
  const seen: unknown[] = [];
  return new Promise((resolve, reject) => {
    const listener = (payload: T) => {
      if (!predicate(payload)) {
        seen.push(payload);
        return;
      }
      clearTimeout(timer);
      socket.off(name, listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.off(name, listener);
      reject(timeoutError(`socket.io event "${name}" matching the predicate`, timeoutMs, seen));
    }, timeoutMs);
    socket.on(name, listener);
  });
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function parseFrame(data: RawData): Frame {
  return JSON.parse(rawText(data)) as Frame;
}

/** Resolves with the first JSON frame (matching `predicate`) that arrives from now on. */
export function nextFrame(
  ws: WebSocket,
  predicate: Predicate<Frame> = () => true,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<Frame> {
  const seen: unknown[] = [];
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      ws.off('message', listener);
      ws.off('close', onClose);
    };
    const listener = (data: RawData) => {
      let frame: Frame;
      try {
        frame = parseFrame(data);
      } catch {
        seen.push(rawText(data));
        return;
      }
      if (!predicate(frame)) {
        seen.push(frame);
        return;
      }
      cleanup();
      resolve(frame);
    };
    const onClose = (code: number) => {
      cleanup();
      reject(new Error(`raw ws closed (${code}) while waiting for a frame matching the predicate`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(timeoutError('a raw frame matching the predicate', timeoutMs, seen));
    }, timeoutMs);
    ws.on('message', listener);
    ws.on('close', onClose);
  });
}

/** Emits `event` with an acknowledgement callback and resolves with the ack, within a bound. */
export async function emitAck<T = Received>(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<T> {
  try {
    return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as T;
  } catch (error) {
    throw new Error(
      `no ack for socket.io "${event}" within ${timeoutMs} ms (${(error as Error).message})`,
      { cause: error },
    );
  }
}

let requestSequence = 0;

/**
 * Sends a raw frame with a fresh `request_id` and resolves with the server's answer to it: the
 * `{type: 'ack', request_id, ok: true, ...}` or `{type: 'error', request_id, code, ...}` frame.
 */
export async function rawRequest(
  ws: WebSocket,
  frame: Frame,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<Frame> {
  requestSequence += 1;
  const requestId = `req-${process.pid}-${requestSequence}`;
  const answer = nextFrame(
    ws,
    (f) => f.request_id === requestId && (f.type === 'ack' || f.type === 'error'),
    timeoutMs,
  );
  ws.send(JSON.stringify({ ...frame, request_id: requestId }));
  return answer;
}

/** A later event that must arrive after anything the test expects not to see. */
export interface SocketMarker {
  /** Causes the marker (e.g. emits a message or a typing ping). */
  send: () => unknown;
  event: string;
  predicate?: Predicate;
}

/**
 * Resolves true when no `name` event matching `predicate` reaches `socket` before the marker does:
 * the server sends to one socket in order, so once the marker (caused after the thing under test)
 * has arrived, an unwanted event would have arrived already. Rejects, listing them, if any did.
 */
export async function expectNoEvent(
  socket: Socket,
  name: string,
  predicate: Predicate = () => true,
  marker: SocketMarker,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<true> {
  const unwanted: unknown[] = [];
  const listener = (payload: unknown) => {
    if (predicate(payload)) unwanted.push(payload);
  };
  socket.on(name, listener);
  try {
    const arrived = nextEvent(socket, marker.event, marker.predicate, timeoutMs);
    await marker.send();
    await arrived;
  } finally {
    socket.off(name, listener);
  }
  if (unwanted.length > 0) {
    throw new Error(
      `expected no socket.io "${name}" event before the marker, got ${JSON.stringify(unwanted)}`,
    );
  }
  return true;
}

/** A later frame that must arrive after anything the test expects not to see. */
export interface FrameMarker {
  send: () => unknown;
  predicate: Predicate<Frame>;
}

/** expectNoEvent for raw frames. */
export async function expectNoFrame(
  ws: WebSocket,
  predicate: Predicate<Frame>,
  marker: FrameMarker,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<true> {
  const unwanted: Frame[] = [];
  const listener = (data: RawData) => {
    try {
      const frame = parseFrame(data);
      if (predicate(frame)) unwanted.push(frame);
    } catch {
      // not JSON: not what the predicate is about
    }
  };
  ws.on('message', listener);
  try {
    const arrived = nextFrame(ws, marker.predicate, timeoutMs);
    await marker.send();
    await arrived;
  } finally {
    ws.off('message', listener);
  }
  if (unwanted.length > 0) {
    throw new Error(
      `expected no such raw frame before the marker, got ${JSON.stringify(unwanted)}`,
    );
  }
  return true;
}

/** Resolves with the close code and reason once the raw connection closes. */
export function nextClose(
  ws: WebSocket,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) {
    return Promise.reject(new Error('raw ws is already closed; wait for close before it happens'));
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('close', onClose);
      reject(new Error(`raw ws did not close within ${timeoutMs} ms`));
    }, timeoutMs);
    const onClose = (code: number, reason: Buffer) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString('utf8') });
    };
    ws.once('close', onClose);
  });
}

/** Whether a raw connection is still open, proven by a request answered over it. */
export async function rawStillWorks(ws: WebSocket, roomId: number): Promise<boolean> {
  const answer = await rawRequest(ws, { type: 'sync', room_id: roomId, after_id: 0, limit: 1 });
  return answer.type === 'ack' && answer.ok === true;
}

/**
 * Why a transport refused a `connect_error`'s handshake, as socket.io-client reports it: the
 * WebSocket's error message, or the polling request's HTTP status.
 */
export function transportErrorReason(error: Error): unknown {
  const { description } = error as Error & { description?: unknown };
  return typeof description === 'object' && description !== null && 'message' in description
    ? description.message
    : description;
}

/**
 * The clients one test opened, so that afterEach can close them all: `socket`/`raw` expect the
 * handshake to succeed, `refusedSocket`/`refusedRaw` expect it to be refused.
 */
export class RealtimeClients {
  private readonly sockets = new Set<Socket>();
  private readonly raws = new Set<WebSocket>();

  async socket(url: string, token: string | undefined, options?: SocketIoOptions): Promise<Socket> {
    const { socket, error } = await connectSocket(url, token, options);
    this.sockets.add(socket);
    if (error) throw new Error(`socket.io handshake refused: connect_error "${error.message}"`);
    return socket;
  }

  /** The `connect_error` of a handshake that must be refused. */
  async refusedSocket(
    url: string,
    token: string | undefined,
    options?: SocketIoOptions,
  ): Promise<Error> {
    const { socket, error } = await connectSocket(url, token, options);
    socket.disconnect();
    if (!error) throw new Error('expected the socket.io handshake to be refused, but it connected');
    return error;
  }

  async raw(url: string, token: string | undefined, options?: ClientOptions): Promise<WebSocket> {
    const { ws, status } = await openRaw(url, token, options);
    this.raws.add(ws);
    if (status !== undefined) throw new Error(`raw ws upgrade refused with HTTP ${status}`);
    return ws;
  }

  /** The HTTP status of an upgrade that must be refused. */
  async refusedRaw(
    url: string,
    token: string | undefined,
    options?: ClientOptions,
  ): Promise<number> {
    const { ws, status } = await openRaw(url, token, options);
    if (status === undefined) {
      ws.terminate();
      throw new Error('expected the raw ws upgrade to be refused, but it opened');
    }
    return status;
  }

  /** Adds a client opened elsewhere, to be closed with the others. */
  track<T extends Socket | WebSocket>(client: T): T {
    if (client instanceof WebSocket) this.raws.add(client);
    else this.sockets.add(client);
    return client;
  }

  async closeAll(): Promise<void> {
    for (const socket of this.sockets) socket.disconnect();
    this.sockets.clear();
    const closing = [...this.raws].map(async (ws) => {
      if (ws.readyState === WebSocket.CLOSED) return;
      if (ws.readyState !== WebSocket.OPEN) return ws.terminate();
      const closed = nextClose(ws, 1_000).catch(() => ws.terminate());
      ws.close(1000);
      await closed;
    });
    this.raws.clear();
    await Promise.all(closing);
  }
}

/** An HS256 JWT with the given claims, as the server's tokens are signed; for forged/expired ones. */
export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
