import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface ProxyOptions {
  /** Holds what clients send for this long before passing it on, in order (a slow link). */
  upstreamDelayMs?: number;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL by default), to make it unreachable
 * and reachable again during a test, or slow in one direction. `stop()` closes the listener and
 * cuts every live connection; `start()` listens again on the same port.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(
    private readonly target: ProxyTarget = { host: '127.0.0.1', port: 5432 },
    private readonly options: ProxyOptions = {},
  ) {}

  /** The port the proxy listens on; known after the first start(). */
  get port(): number {
    if (this.boundPort === 0) throw new Error('the proxy has not been started');
    return this.boundPort;
  }

  get running(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private forward(client: Socket): void {
    const upstream = createConnection(this.target);
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(socket);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        other.destroy();
      });
    }
    const delayMs = this.options.upstreamDelayMs ?? 0;
    if (delayMs === 0) client.pipe(upstream);
    // Equal delays fire in the order they were set: the bytes stay in order.
    else
      client.on('data', (chunk) =>
        setTimeout(() => !upstream.destroyed && upstream.write(chunk), delayMs),
      );
    upstream.pipe(client);
  }
}

/** A running proxy in front of `target`. */
export async function startTcpProxy(
  target?: ProxyTarget,
  options?: ProxyOptions,
): Promise<TcpProxy> {
  const proxy = new TcpProxy(target, options);
  await proxy.start();
  return proxy;
}
