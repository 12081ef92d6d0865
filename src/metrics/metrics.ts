import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type Transport = 'socketio' | 'raw';
/**
 * What a Redis pub/sub message received by this process was for: one room's traffic, one user's
 * or session's, or the channels every process listens to (server requests, ended sessions, and
 * events for several rooms at once).
 */
export type PubSubKind = 'room' | 'user' | 'control';

/** Prometheus metrics of this process, in a registry of its own (one per application). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'chat_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly connections = new Gauge({
    name: 'chat_connections',
    help: 'Open real-time connections by transport',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  private readonly messagesStored = new Counter({
    name: 'chat_messages_stored_total',
    help: 'Messages stored (a resend of a stored client_msg_id is not counted)',
    registers: [this.registry],
  });

  private readonly eventsPublished = new Counter({
    name: 'chat_events_published_total',
    help: 'Real-time events published to rooms, by event',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  private readonly errors = new Counter({
    name: 'chat_errors_total',
    help: 'Error answers by contract code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly redisMessagesReceived = new Counter({
    name: 'chat_redis_messages_received_total',
    help: 'Messages this process received from Redis pub/sub, by what they were for',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'chat_' });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  connectionOpened(transport: Transport): void {
    this.connections.inc({ transport });
  }

  connectionClosed(transport: Transport): void {
    this.connections.dec({ transport });
  }

  messageStored(): void {
    this.messagesStored.inc();
  }

  eventPublished(event: string): void {
    this.eventsPublished.inc({ event });
  }

  redisMessageReceived(kind: PubSubKind): void {
    this.redisMessagesReceived.inc({ kind });
  }

  errorAnswered(code: string): void {
    this.errors.inc({ code });
  }
}
