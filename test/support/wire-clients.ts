import { RawData, WebSocket } from 'ws';
import { EVENT_TIMEOUT_MS, openRaw, Received } from './realtime-clients';

/**
 * Real-time clients that send payloads as JSON text, exactly as written, so tests can send what a
 * JavaScript client cannot serialise (5,000 nested arrays, lone surrogates, `__proto__` keys): what
 * an attacker writes to the socket. Both answer a command with its acknowledgement.
 */
export interface WireClient {
  /** Sends `event` with the JSON text `payload`; resolves with the ack. */
  command(event: string, payload: string): Promise<Received>;
  /** Whether the server still holds the connection open (Socket.IO: and the socket connected). */
  isOpen(): boolean;
  close(): void;
}

/** The raw endpoint's client, which can also send frames that are not JSON objects. */
export interface RawWireClient extends WireClient {
  /**
   * Sends `text` as one frame, exactly as written, and resolves with the `ack` and `error` frames
   * that answer it (none for a frame without `request_id` that succeeds). A marker frame sent
   * after it bounds the wait: frames are handled in order, so its answer comes last.
   */
  frame(text: string): Promise<Received[]>;
}

function textOf(data: RawData): string {
  return Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Buffer.from(data as ArrayBuffer).toString();
}

/** Fails a command at once on a connection the server already closed, rather than timing out. */
function notSent(what: string): Error {
  return new Error(`the connection is closed: ${what} not sent`);
}

/** Waits for the first text message that `accept` maps to a value. */
function nextMessage<T>(
  ws: WebSocket,
  accept: (text: string) => T | undefined,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    const onMessage = (data: RawData) => {
      const value = accept(textOf(data));
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const onClose = (code: number) => {
      cleanup();
      reject(new Error(`connection closed (${code}) while waiting for ${what}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${EVENT_TIMEOUT_MS} ms waiting for ${what}`));
    }, EVENT_TIMEOUT_MS);
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

/**
 * A Socket.IO client written against the wire protocol (Engine.IO 4 over WebSocket, namespace
 * `/`): `40{auth}` to connect, `42<id>[event, payload]` to emit with an ack, `43<id>[ack]` back.
 */
export async function connectWireSocketIo(url: string, token: string): Promise<WireClient> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  ws.on('error', () => undefined);
  let namespaceOpen = false;
  ws.on('message', (data) => {
    const text = textOf(data);
    // Engine.IO heartbeat: the server pings, the client answers.
    if (text === '2') ws.send('3');
    // The server closed the namespace (`41`) or the Engine.IO session (`1`).
    if (text.startsWith('41') || text === '1') namespaceOpen = false;
  });
  const opened = nextMessage(ws, (text) => (text.startsWith('0') ? true : undefined), 'open');
  await opened;
  const connected = nextMessage(
    ws,
    (text) => (text.startsWith('40') ? true : text.startsWith('44') ? text : undefined),
    'connect',
  );
  ws.send(`40${JSON.stringify({ token })}`);
  const outcome = await connected;
  if (outcome !== true) throw new Error(`socket.io connect refused: ${outcome}`);
  namespaceOpen = true;
  let nextId = 0;
  const isOpen = () => namespaceOpen && ws.readyState === ws.OPEN;
  return {
    command(event, payload) {
      if (!isOpen()) return Promise.reject(notSent(event));
      const id = nextId++;
      const ack = nextMessage(
        ws,
        (text) => {
          const match = /^43(\d+)(\[.*)$/s.exec(text);
          return match && Number(match[1]) === id
            ? (JSON.parse(match[2]) as Received[])[0]
            : undefined;
        },
        `the ack of ${event}`,
      );
      ws.send(`42${id}[${JSON.stringify(event)},${payload}]`);
      return ack;
    },
    isOpen,
    close: () => ws.close(),
  };
}

/**
 * The raw WebSocket endpoint: `command` sends `{"type": event, "request_id": n, ...payload}` as
 * text, for a payload that is a JSON object, and resolves with the ack frame's fields but `type`
 * and `request_id`, so that it reads as the Socket.IO ack; `frame` sends any text.
 */
export async function connectWireRaw(url: string, token: string): Promise<RawWireClient> {
  const { ws, status } = await openRaw(url, token);
  if (status !== undefined) throw new Error(`raw ws refused with ${status}`);
  let nextId = 0;
  let nextMarker = 0;
  const isOpen = () => ws.readyState === ws.OPEN;
  return {
    command(event, payload) {
      if (!isOpen()) return Promise.reject(notSent(event));
      const requestId = nextId++;
      const fields = payload.trim() === '{}' ? '' : `,${payload.trim().slice(1, -1)}`;
      const ack = nextMessage(
        ws,
        (text) => {
          const { type, request_id, ...ack } = JSON.parse(text);
          return type === 'ack' && request_id === requestId ? ack : undefined;
        },
        `the ack of ${event}`,
      );
      ws.send(`{"type":${JSON.stringify(event)},"request_id":${requestId}${fields}}`);
      return ack;
    },
    async frame(text) {
      if (!isOpen()) throw notSent('a frame');
      const marker = `marker-${nextMarker++}`;
      const answers: Received[] = [];
      const markerAnswered = nextMessage(
        ws,
        (reply) => {
          const answer = JSON.parse(reply);
          if (answer.request_id === marker) return true;
          if (answer.type === 'ack' || answer.type === 'error') answers.push(answer);
          return undefined;
        },
        'the answer to a marker frame',
      );
      ws.send(text);
      // A frame refused at once (no room_id): its answer costs the server no storage.
      ws.send(JSON.stringify({ type: 'sync', request_id: marker }));
      await markerAnswered;
      return answers;
    },
    isOpen,
    close: () => ws.close(),
  };
}
