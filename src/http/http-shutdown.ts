import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';

/**
 * How long connections may stay open once shutdown has begun: longer than the real-time drain
 * (RealtimeShutdown, at most 10 s), so that running commands still get their acks.
 */
const CLOSE_GRACE_MS = 12_000;

/**
 * Bounds shutdown: every connection still open after the grace is closed, so that one a client
 * keeps open (a request it never ends, a kept-alive one that was busy when shutdown began) cannot
 * hold the process for a whole keep-alive or headers timeout.
 */
@Injectable()
export class HttpShutdown implements BeforeApplicationShutdown {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  beforeApplicationShutdown(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
  }
}
