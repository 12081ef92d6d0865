import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { ErrorCode } from '../../common/errors/error-code';
import { LIMITS } from '../../common/limits';
import { AppConfig } from '../../config/app-config';
import { RedisConnection } from '../../cluster/redis-connection';
import { RawChannels } from '../delivery/raw-channels';
import { isCommandName, RealtimeCommands } from '../commands/realtime-commands';
import { SerialQueue } from '../commands/serial-queue';
import { errorEventOf } from '../commands/error-answers';
import type { Ack } from '../../contract/events';
import { RAW_WS_PATH, SOCKET_IO_PATH } from '../protocol/endpoints';
import {
  ConnectionAuthenticator,
  type ConnectionIdentity,
} from '../connections/connection-authenticator';
import { ConnectionLifecycle } from '../connections/connection-lifecycle';
import { isOriginAllowed } from '../connections/origin-policy';
import { RawClient, RawClients } from './raw-clients';
import { readFrame, unknownCommand } from './raw-frames';
import { endConnection, sendFrame } from './raw-sends';

const CLOSE_GRACE_MS = 2_000;
const HEARTBEAT_MS = 30_000;

/**
 * The seed-compatible endpoint: JSON text frames on `GET /api/ws?token=...`, sharing rooms with
 * Socket.IO. The token and Origin are checked before the upgrade completes; each frame's `type`
 * is a command of the command table.
 */
@Injectable()
export class RawWebSocketServer implements OnApplicationBootstrap {
  private readonly logger = new Logger('RawWebSocket');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.frameBytes });
  private readonly alive = new WeakSet<WebSocket>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly authenticator: ConnectionAuthenticator,
    private readonly commands: RealtimeCommands,
    private readonly lifecycle: ConnectionLifecycle,
    private readonly clients: RawClients,
    private readonly channels: RawChannels,
    // Null without REDIS_URL (a union type names no class for the injector: hence @Inject).
    @Inject(RedisConnection) private readonly redis: RedisConnection | null,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '').split('?')[0];
      if (path === RAW_WS_PATH) void this.upgrade(request, socket, head);
      // Socket.IO handles its own path; any other upgrade would otherwise hang open.
      else if (path !== SOCKET_IO_PATH && !path.startsWith(`${SOCKET_IO_PATH}/`)) {
        refuse(socket, 404, 'Not Found');
      }
    });
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_MS).unref();
  }

  /** Closes every raw connection (going away), for shutdown; drops those that do not answer. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const { socket } of this.clients.all()) {
      socket.close(1001, 'server shutting down');
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    }
    this.wss.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    if (!isOriginAllowed(request, this.config)) return refuse(socket, 403, 'Forbidden');
    let identity: ConnectionIdentity;
    try {
      const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
      identity = await this.authenticator.authenticate(
        query.get('token'),
        request.headers.authorization,
      );
    } catch (error) {
      const unauthorized = errorEventOf(error).code === ErrorCode.Unauthorized;
      return unauthorized
        ? refuse(socket, 401, 'Unauthorized')
        : refuse(socket, 503, 'Service Unavailable');
    }
    // The client learns that it is connected from the upgrade's answer: by then the Redis
    // channels of its user and rooms are subscribed. accept() runs within handleUpgrade, so the
    // client holds them itself before the hold is let go.
    const release = this.channels.hold(identity.user.id, identity.roomIds);
    await this.redis?.subscriptionsInForce();
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, identity));
    release();
  }

  private accept(socket: WebSocket, identity: ConnectionIdentity): void {
    const { user, sessionId } = identity;
    const client: RawClient = {
      socket,
      user,
      sessionId,
      rooms: new Set(),
      queue: new SerialQueue(),
    };
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      void client.queue.run(() => this.onFrame(client, data, isBinary));
    });
    socket.on('error', (error) => this.logger.debug(`connection error: ${error.message}`));
    const close = this.lifecycle.open(
      {
        transport: 'raw',
        user,
        joinUser: () => this.clients.add(client),
        joinRooms: (ids) => this.clients.join(client, ids),
        end: (why) => endConnection(socket, why),
      },
      identity,
    );
    socket.on('close', () => {
      this.clients.remove(client);
      close();
    });
  }

  /**
   * Answers a frame that carries a `request_id` with `{type: 'ack', request_id, ...ack}` (the
   * Socket.IO ack's fields, `ok: false` and `error` included); errors of frames without one come
   * as `{type: 'error', code, message}`.
   */
  private async onFrame(client: RawClient, data: RawData, isBinary: boolean): Promise<void> {
    let requestId: string | number | undefined;
    let ack: Ack;
    try {
      const frame = readFrame(data, isBinary);
      requestId = frame.requestId;
      ack = isCommandName(frame.type)
        ? await this.commands.execute(client.user, frame.type, frame.payload)
        : this.commands.failure(unknownCommand());
    } catch (exception) {
      ack = this.commands.failure(exception);
    }
    if (requestId !== undefined) {
      sendFrame(client.socket, { type: 'ack', request_id: requestId, ...ack });
    } else if (!ack.ok) {
      sendFrame(client.socket, { type: 'error', ...ack.error });
    }
  }

  private checkAlive(): void {
    for (const { socket } of this.clients.all()) {
      if (!this.alive.delete(socket)) socket.terminate();
      else socket.ping();
    }
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
