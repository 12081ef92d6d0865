import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { RequestError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { LIMITS } from '../common/limits';
import { isPlainTextIn } from '../common/validation/quick-check';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { Ack, SOCKET_IO_PATH } from './chat-events';
import { ChatService } from './chat.service';
import { ChatMessageDto, RoomRefDto, SyncDto, TypingDto } from './dto/chat.dto';
import { InFlight } from './in-flight';
import { isOriginAllowed } from './origin-policy';
import { SESSION_EXPIRED } from './session-expiry';
import { SerialQueue } from './serial-queue';
import { ChatSessions } from './chat-sessions';
import { parsePayload } from './payload';
import { RawClient, RawClients } from './raw-clients';
import { errorEventOf } from './ws-errors';

export const RAW_WS_PATH = '/api/ws';
const CLOSE_GRACE_MS = 2_000;
const HEARTBEAT_MS = 30_000;
/** A close code of the application range: the access token expired. */
const SESSION_EXPIRED_CLOSE_CODE = 4001;
interface RawSession {
  user: AuthUser;
  expiresAt: number;
  roomIds: readonly number[];
}

const FRAME_TYPES = ['chat_message', 'join_room', 'leave_room', 'typing', 'sync'] as const;

/**
 * The seed-compatible endpoint: JSON text frames on `GET /api/ws?token=...`, sharing rooms with
 * Socket.IO. The token and Origin are checked before the upgrade completes.
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
    private readonly auth: AuthService,
    private readonly chat: ChatService,
    private readonly sessions: ChatSessions,
    private readonly clients: RawClients,
    private readonly inFlight: InFlight,
    private readonly metrics: Metrics,
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
    let session: RawSession;
    try {
      this.inFlight.assertOpen();
      const { user, expiresAt } = await this.auth.verifySession(tokenOf(request.url ?? ''));
      // Read before the upgrade completes, so the rooms are joined as soon as the client is open.
      session = { user, expiresAt, roomIds: await this.sessions.roomsToJoin(user) };
    } catch (error) {
      const unauthorized = errorEventOf(error).code === ErrorCode.Unauthorized;
      return unauthorized
        ? refuse(socket, 401, 'Unauthorized')
        : refuse(socket, 503, 'Service Unavailable');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, session));
  }

  private accept(socket: WebSocket, { user, expiresAt, roomIds }: RawSession): void {
    const client: RawClient = { socket, user, rooms: new Set(), queue: new SerialQueue() };
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      void client.queue.run(() => this.onFrame(client, data, isBinary));
    });
    socket.on('error', (error) => this.logger.debug(`connection error: ${error.message}`));
    const closeSession = this.sessions.open(
      {
        transport: 'raw',
        user,
        joinUser: () => this.clients.add(client),
        joinRooms: (ids) => this.clients.join(client, ids),
        expire: () => {
          send(socket, { type: 'error', ...SESSION_EXPIRED });
          socket.close(SESSION_EXPIRED_CLOSE_CODE, 'access token expired');
        },
      },
      roomIds,
      expiresAt,
    );
    socket.on('close', () => {
      this.clients.remove(client);
      closeSession();
    });
  }

  /**
   * Answers a frame that carries a `request_id` with `{type: 'ack', request_id, ...ack}` (the
   * Socket.IO ack's fields, `ok: false` and `error` included); errors of frames without one come
   * as `{type: 'error', code, message}`.
   */
  private async onFrame(client: RawClient, data: RawData, isBinary: boolean): Promise<void> {
    let requestId: unknown;
    let ack: Ack;
    try {
      const frame = parseFrame(data, isBinary);
      requestId = requestIdOf(frame);
      ack = await this.inFlight.run(() => this.dispatch(client.user, frame));
    } catch (exception) {
      const error = errorEventOf(exception);
      this.metrics.errorAnswered(error.code);
      if (requestId === undefined) return send(client.socket, { type: 'error', ...error });
      ack = { ok: false, error };
    }
    if (requestId !== undefined)
      send(client.socket, { type: 'ack', request_id: requestId, ...ack });
  }

  private async dispatch(user: AuthUser, frame: Record<string, unknown>): Promise<Ack> {
    const { type, request_id: _, ...payload } = frame;
    const kind = type as (typeof FRAME_TYPES)[number];
    switch (kind) {
      case 'chat_message':
        return this.chat.send(user, await parsePayload(ChatMessageDto, payload));
      case 'join_room':
        return this.chat.join(user, await parsePayload(RoomRefDto, payload));
      case 'leave_room':
        return this.chat.leave(user, await parsePayload(RoomRefDto, payload));
      case 'typing':
        return this.chat.typing(user, await parsePayload(TypingDto, payload));
      case 'sync':
        return this.chat.sync(user, await parsePayload(SyncDto, payload));
      default:
        throw RequestError.validation([
          { field: 'type', message: `must be one of ${FRAME_TYPES.join(', ')}` },
        ]);
    }
  }

  private checkAlive(): void {
    for (const { socket } of this.clients.all()) {
      if (!this.alive.delete(socket)) socket.terminate();
      else socket.ping();
    }
  }
}

function parseFrame(data: RawData, isBinary: boolean): Record<string, unknown> {
  let frame: unknown;
  try {
    frame = isBinary ? undefined : JSON.parse((data as Buffer).toString('utf8'));
  } catch {
    frame = undefined;
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    throw RequestError.validation([
      { field: 'frame', message: 'must be a JSON object in a text frame' },
    ]);
  }
  return frame as Record<string, unknown>;
}

/**
 * The frame's `request_id`, echoed in its ack: a short string or a number, so that the echo stays
 * small and serialisable (JSON.stringify overflows its stack on a few thousand nested arrays).
 * Anything else is refused, with an error frame.
 */
function requestIdOf(frame: Record<string, unknown>): string | number | undefined {
  const id = frame.request_id;
  const { min, max } = LIMITS.requestId;
  if (id === undefined || isPlainTextIn(id, min, max)) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  throw RequestError.validation([
    { field: 'request_id', message: `must be a number or a string of ${min} to ${max} characters` },
  ]);
}

function send(socket: WebSocket, frame: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

function tokenOf(url: string): string {
  const query = url.split('?')[1] ?? '';
  return new URLSearchParams(query).get('token') ?? '';
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
