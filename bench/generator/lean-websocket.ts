/**
 * A deliberately small WebSocket client (RFC 6455) for the load generator: one net.Socket, the
 * upgrade request written by hand, and server frames parsed straight out of the TCP chunks, with
 * no stream machinery per frame. Client frames are masked with a zero key (servers must accept
 * any key), so sending costs one header and one write. Compression and extensions are never
 * offered. It exists because the `ws` client's per-frame cost made the generator, not the server,
 * the bottleneck of the fan-out scenario on a 2-core machine.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class LeanWebSocket {
  onClose: () => void = () => undefined;
  private handler: ((data: Buffer) => void) | null = null;
  /** Messages that arrived before a handler was set (e.g. with the 101 response). */
  private early: Buffer[] = [];
  private pending: Buffer | null = null;
  private fragments: Buffer[] = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('close', () => {
      this.closed = true;
      this.onClose();
    });
    socket.on('error', () => undefined);
  }

  get open(): boolean {
    return !this.closed;
  }

  /** Called with each complete text or binary message (a view into the received chunk). */
  set onMessage(handler: (data: Buffer) => void) {
    this.handler = handler;
    const early = this.early;
    this.early = [];
    for (const data of early) handler(data);
  }

  private deliver(data: Buffer): void {
    if (this.handler) this.handler(data);
    else this.early.push(Buffer.from(data));
  }

  /**
   * Opens ws://127.0.0.1:port + path. Rejects with the HTTP status when the server answers the
   * upgrade with anything but 101.
   */
  static connect(port: number, path: string, timeoutMs: number): Promise<LeanWebSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      const key = randomBytes(16).toString('base64');
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no upgrade within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('close', () => fail(new Error('closed during the upgrade')));
      socket.on('connect', () => {
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
            `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > 16_384) fail(new Error('upgrade response too large'));
          return;
        }
        socket.off('data', onData);
        socket.removeAllListeners('close');
        socket.removeListener('error', fail);
        const response = head.toString('latin1', 0, end);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
        const accept = createHash('sha1')
          .update(key + GUID)
          .digest('base64');
        if (status !== 101) return fail(new Error(`upgrade refused with HTTP ${status}`));
        if (!response.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`)) {
          return fail(new Error('bad Sec-WebSocket-Accept'));
        }
        clearTimeout(timer);
        const client = new LeanWebSocket(socket);
        socket.on('data', (data: Buffer) => client.receive(data));
        resolve(client);
        const rest = head.subarray(end + 4);
        if (rest.length > 0) client.receive(rest);
      };
      socket.on('data', onData);
    });
  }

  send(text: string): void {
    if (this.closed) return;
    const length = Buffer.byteLength(text);
    const headerLength = length < 126 ? 6 : length < 65_536 ? 8 : 14;
    const frame = Buffer.allocUnsafe(headerLength + length);
    frame[0] = 0x81; // FIN, text
    if (length < 126) {
      frame[1] = 0x80 | length;
    } else if (length < 65_536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    frame.writeUInt32BE(0, headerLength - 4); // zero masking key: the payload goes as is
    frame.write(text, headerLength);
    this.socket.write(frame);
  }

  terminate(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private control(opcode: number, payload: Buffer): void {
    if (opcode === 0x9) {
      // ping -> pong with the same payload (short), masked with a zero key
      const frame = Buffer.alloc(6 + payload.length);
      frame[0] = 0x8a;
      frame[1] = 0x80 | payload.length;
      payload.copy(frame, 6);
      this.socket.write(frame);
    } else if (opcode === 0x8) {
      this.terminate();
    }
  }

  private receive(chunk: Buffer): void {
    let data = chunk;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let at = 0;
    while (at + 2 <= data.length) {
      const first = data[at];
      let length = data[at + 1] & 0x7f;
      let offset = at + 2;
      if (length === 126) {
        if (offset + 2 > data.length) break;
        length = data.readUInt16BE(offset);
        offset += 2;
      } else if (length === 127) {
        if (offset + 8 > data.length) break;
        length = Number(data.readBigUInt64BE(offset));
        offset += 8;
      }
      if (offset + length > data.length) break;
      const payload = data.subarray(offset, offset + length);
      at = offset + length;
      const opcode = first & 0x0f;
      if (opcode >= 0x8) {
        this.control(opcode, payload);
        continue;
      }
      const fin = (first & 0x80) !== 0;
      if (!fin || opcode === 0x0) {
        this.fragments.push(Buffer.from(payload));
        if (!fin) continue;
        const whole = Buffer.concat(this.fragments);
        this.fragments = [];
        this.deliver(whole);
        continue;
      }
      this.deliver(payload);
    }
    if (at < data.length) this.pending = Buffer.from(data.subarray(at));
  }
}

/** The same surface over the `ws` client, to compare (BENCH_WS_CLIENT=ws). */
export interface MinimalSocket {
  readonly open: boolean;
  onMessage: (data: Buffer) => void;
  onClose: () => void;
  send(text: string): void;
  terminate(): void;
}
