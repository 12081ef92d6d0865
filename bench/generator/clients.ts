/**
 * Minimal, cheap load clients over LeanWebSocket: a Socket.IO v4 client (engine.io v4, WebSocket
 * transport only, namespace "/") and a JSON-frame client (our /api/ws protocol, used by the ws
 * ceiling).
 * They never parse broadcast payloads: a frame is recognised by its first bytes and the send time
 * is read from the stamp the generator put in `content`, so thousands of sockets fit in one
 * generator process without it becoming the bottleneck first.
 */
import type { WireProtocol } from '../lib/protocol';
import { WebSocket } from 'ws';
import { LeanWebSocket, MinimalSocket } from './lean-websocket';

const USE_WS = process.env.BENCH_WS_CLIENT === 'ws';

function openSocket(port: number, path: string, timeoutMs: number): Promise<MinimalSocket> {
  if (!USE_WS) return LeanWebSocket.connect(port, path, timeoutMs);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('timeout'));
    }, timeoutMs);
    let handler: (data: Buffer) => void = () => undefined;
    const early: Buffer[] = [];
    let closeHandler = () => undefined as void;
    const socket: MinimalSocket = {
      get open() {
        return ws.readyState === WebSocket.OPEN;
      },
      set onMessage(fn: (data: Buffer) => void) {
        handler = fn;
        for (const data of early.splice(0)) fn(data);
      },
      get onMessage() {
        return handler;
      },
      set onClose(fn: () => void) {
        closeHandler = fn;
      },
      get onClose() {
        return closeHandler;
      },
      send: (text) => ws.send(text),
      terminate: () => ws.terminate(),
    };
    let ready = false;
    ws.on('message', (data: Buffer) => (ready ? handler(data) : early.push(data)));
    ws.on('open', () => {
      clearTimeout(timer);
      ready = true;
      resolve(socket);
    });
    ws.on('close', () => closeHandler());
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export type AckHandler = (ok: boolean, data: Buffer | null) => void;

export interface LoadClient {
  /** Sends an event with an acknowledgement; the handler gets ok=false when the socket closes. */
  request(event: string, payload: Record<string, unknown>, onAck: AckHandler): void;
  /** Called with the raw frame of every `chat_message` the client receives. */
  onChatMessage: ((data: Buffer) => void) | null;
  /** Called with the raw frame of every `message_updated` the client receives. */
  onMessageUpdated: ((data: Buffer) => void) | null;
  readonly open: boolean;
  close(): void;
}

const CHAT_SIO = '["chat_message",';
const CHAT_RAW = '{"type":"chat_message"';
const UPDATED_SIO = '["message_updated",';
const UPDATED_RAW = '{"type":"message_updated"';
const ACK_RAW = '{"type":"ack","request_id":';
const OK_TRUE = '{"ok":true';
const OK_TRUE_RAW = ',"ok":true';

const ZERO = 0x30;
const NINE = 0x39;

/** Parses the decimal digits of `data` from `start`; returns [value, index after the digits]. */
function digitsAt(data: Buffer, start: number): [number, number] {
  let value = 0;
  let i = start;
  while (i < data.length && data[i] >= ZERO && data[i] <= NINE)
    value = value * 10 + data[i++] - ZERO;
  return [value, i];
}

function startsWithAt(data: Buffer, at: number, text: string): boolean {
  return data.length >= at + text.length && data.toString('latin1', at, at + text.length) === text;
}

abstract class BaseClient implements LoadClient {
  onChatMessage: ((data: Buffer) => void) | null = null;
  onMessageUpdated: ((data: Buffer) => void) | null = null;
  protected readonly pending = new Map<number, AckHandler>();
  protected nextAckId = 1;

  constructor(protected readonly ws: MinimalSocket) {
    ws.onClose = () => {
      for (const handler of this.pending.values()) handler(false, null);
      this.pending.clear();
    };
  }

  get open(): boolean {
    return this.ws.open;
  }

  abstract request(event: string, payload: Record<string, unknown>, onAck: AckHandler): void;

  close(): void {
    this.ws.terminate();
  }

  protected settle(id: number, ok: boolean, data: Buffer): void {
    const handler = this.pending.get(id);
    if (!handler) return;
    this.pending.delete(id);
    handler(ok, data);
  }
}

class SocketIoClient extends BaseClient {
  request(event: string, payload: Record<string, unknown>, onAck: AckHandler): void {
    if (!this.open) return onAck(false, null);
    const id = this.nextAckId++;
    this.pending.set(id, onAck);
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
  }

  /** Engine.io and Socket.IO packets after the handshake. */
  receive(data: Buffer): void {
    const engine = data[0];
    if (engine === 0x32) return this.ws.send('3'); // ping -> pong
    if (engine !== 0x34 || data.length < 2) return; // only "message" packets matter now
    const kind = data[1];
    if (kind === 0x32) {
      // 42["event",...]
      if (startsWithAt(data, 2, CHAT_SIO)) this.onChatMessage?.(data);
      else if (startsWithAt(data, 2, UPDATED_SIO)) this.onMessageUpdated?.(data);
    } else if (kind === 0x33) {
      // 43<id>[{"ok":true,...}]
      const [id, end] = digitsAt(data, 2);
      this.settle(id, startsWithAt(data, end + 1, OK_TRUE), data);
    }
  }

  static async connect(port: number, token: string, timeoutMs: number): Promise<LoadClient> {
    const ws = await openSocket(port, '/socket.io/?EIO=4&transport=websocket', timeoutMs);
    const client = new SocketIoClient(ws);
    return new Promise<LoadClient>((resolve, reject) => {
      let connected = false;
      const fail = (reason: string) => {
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(reason));
      };
      const timer = setTimeout(
        () => fail(`no Socket.IO connect within ${timeoutMs} ms`),
        timeoutMs,
      );
      ws.onMessage = (data: Buffer) => {
        if (connected) return client.receive(data);
        if (data[0] === 0x30) return ws.send(`40${JSON.stringify({ token })}`); // open
        if (data[0] === 0x32) return ws.send('3');
        if (data[0] === 0x34 && data[1] === 0x30) {
          connected = true;
          clearTimeout(timer);
          resolve(client);
        } else if (data[0] === 0x34 && data[1] === 0x34) {
          fail(`connect_error ${data.toString().slice(2)}`);
        }
      };
      const onClose = ws.onClose;
      ws.onClose = () => {
        onClose();
        if (!connected) fail('closed before connecting');
      };
    });
  }
}

class RawClient extends BaseClient {
  request(event: string, payload: Record<string, unknown>, onAck: AckHandler): void {
    if (!this.open) return onAck(false, null);
    const id = this.nextAckId++;
    this.pending.set(id, onAck);
    this.ws.send(JSON.stringify({ type: event, request_id: id, ...payload }));
  }

  receive(data: Buffer): void {
    if (startsWithAt(data, 0, CHAT_RAW)) return this.onChatMessage?.(data);
    if (startsWithAt(data, 0, UPDATED_RAW)) return this.onMessageUpdated?.(data);
    if (startsWithAt(data, 0, ACK_RAW)) {
      const [id, end] = digitsAt(data, ACK_RAW.length);
      this.settle(id, startsWithAt(data, end, OK_TRUE_RAW), data);
    }
  }

  static async connect(
    port: number,
    path: string,
    token: string,
    timeoutMs: number,
  ): Promise<LoadClient> {
    const ws = await openSocket(port, `${path}?token=${encodeURIComponent(token)}`, timeoutMs);
    const client = new RawClient(ws);
    ws.onMessage = (data: Buffer) => client.receive(data);
    return client;
  }
}

export function connectClient(
  protocol: WireProtocol,
  port: number,
  token: string,
  timeoutMs = 15_000,
): Promise<LoadClient> {
  return protocol === 'socketio'
    ? SocketIoClient.connect(port, token, timeoutMs)
    : RawClient.connect(port, '/ws', token, timeoutMs);
}

/** Promise form of request(): resolves with ok, never rejects. */
export function requestAck(
  client: LoadClient,
  event: string,
  payload: Record<string, unknown>,
  timeoutMs = 15_000,
): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    client.request(event, payload, (ok) => {
      clearTimeout(timer);
      resolve(ok);
    });
  });
}

/**
 * Opens `count` clients with at most `concurrency` handshakes in flight, within `deadlineMs`
 * overall. Returns the clients that connected (index-aligned, null for failures) and the timing.
 */
export async function connectMany(
  count: number,
  concurrency: number,
  open: (index: number) => Promise<LoadClient>,
  deadlineMs: number,
): Promise<{ clients: (LoadClient | null)[]; elapsedMs: number; failures: string[] }> {
  const clients: (LoadClient | null)[] = new Array<LoadClient | null>(count).fill(null);
  const failures: string[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() - started < deadlineMs) {
      const index = next++;
      try {
        clients[index] = await open(index);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { clients, elapsedMs: performance.now() - started, failures };
}
