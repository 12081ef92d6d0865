import { UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import type {
  Ack,
  DirectClientEvents,
  MessagesAck,
  RoomAck,
  ServerToClientEvents,
} from './chat-events';
import { roomChannel, userChannel } from './chat-events';
import { ChatSessions } from './chat-sessions';
import { ChatService } from './chat.service';
import { ChatMessageDto, RoomRefDto, SyncDto, TypingDto } from './dto/chat.dto';
import { InFlight } from './in-flight';
import { Metrics } from '../metrics/metrics';
import { parsePayload } from './payload';
import { ChatServer, RealtimeBroadcaster } from './realtime-broadcaster';
import { eventArgs } from './event-args';
import { commandsOf } from './serial-queue';
import { SESSION_EXPIRED } from './session-expiry';
import { answerFailure, errorEventOf, WsExceptionFilter } from './ws-errors';

interface SocketData {
  user: AuthUser;
  /** When the handshake's access token expires (ms since the epoch). */
  expiresAt: number;
  /** The rooms read during the handshake, until the connection has joined them. */
  roomIds: readonly number[];
}

type ChatSocket = Socket<
  DirectClientEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/**
 * Socket.IO transport: authenticates the handshake with the same AuthService as HTTP, opens the
 * session (subscriptions, presence) and hands every event to ChatService, one at a time per
 * socket in arrival order. Handlers return the ack; payloads are validated by AppValidationPipe.
 * `chat_message` and `typing`, the events of every message and keystroke, are bound directly
 * rather than through Nest's per-event context (parameters, pipes, guards, filters), which cost
 * a tenth of the CPU per message; they are validated and answered the same way.
 */
@WebSocketGateway()
@UseFilters(WsExceptionFilter)
export class ChatGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly auth: AuthService,
    private readonly chat: ChatService,
    private readonly sessions: ChatSessions,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly inFlight: InFlight,
    private readonly metrics: Metrics,
  ) {}

  afterInit(server: Server): void {
    this.broadcaster.bind(server as ChatServer);
    // Guards do not run on connection, so the handshake is checked here, before it completes;
    // the user's rooms are read here too, so they are joined as soon as the client is connected.
    server.use((socket, next) => {
      this.authenticate(socket as ChatSocket).then(
        () => next(),
        (error: unknown) => next(new Error(errorEventOf(error).code)),
      );
    });
  }

  handleConnection(socket: ChatSocket): void {
    const { user, expiresAt, roomIds } = socket.data;
    socket.data.roomIds = [];
    const close = this.sessions.open(
      {
        transport: 'socketio',
        user,
        joinUser: () => void socket.join(userChannel(user.id)),
        joinRooms: (ids) => void socket.join(ids.map(roomChannel)),
        expire: () => {
          socket.emit('error', SESSION_EXPIRED);
          socket.disconnect(true);
        },
      },
      roomIds,
      expiresAt,
    );
    socket.once('disconnect', close);
    socket.on('chat_message', (...args) =>
      this.direct(socket, args, async (payload) =>
        this.chat.send(user, await parsePayload(ChatMessageDto, payload)),
      ),
    );
    socket.on('typing', (...args) =>
      this.direct(socket, args, async (payload) =>
        this.chat.typing(user, await parsePayload(TypingDto, payload)),
      ),
    );
  }

  @SubscribeMessage('join_room')
  join(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: RoomRefDto): Promise<RoomAck> {
    return this.inFlight.run(() => this.chat.join(socket.data.user, dto));
  }

  @SubscribeMessage('leave_room')
  leave(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: RoomRefDto): Promise<Ack> {
    return this.inFlight.run(() => this.chat.leave(socket.data.user, dto));
  }

  @SubscribeMessage('sync')
  sync(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: SyncDto): Promise<MessagesAck> {
    return this.inFlight.run(() => this.chat.sync(socket.data.user, dto));
  }

  /** Runs a directly bound event in the socket's order and answers it as a decorated one is. */
  private direct(
    socket: ChatSocket,
    args: unknown[],
    command: (payload: unknown) => Promise<Ack>,
  ): void {
    const { payload, ack } = eventArgs(args);
    commandsOf(socket)
      .run(() => this.inFlight.run(() => command(payload)))
      .then(
        (answer) => ack?.(answer),
        (error: unknown) => answerFailure(error, socket, ack, this.metrics),
      );
  }

  private async authenticate(socket: ChatSocket): Promise<void> {
    this.inFlight.assertOpen();
    const { user, expiresAt } = await this.auth.verifySession(handshakeToken(socket) ?? '');
    const roomIds = await this.sessions.roomsToJoin(user);
    socket.data = { user, expiresAt, roomIds };
  }
}

/** `auth: { token }` as the contract says; an `Authorization: Bearer` header for other clients. */
function handshakeToken(socket: ChatSocket): string | undefined {
  const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
  if (typeof token === 'string' && token !== '') return token;
  return /^Bearer\s+(\S+)$/i.exec(socket.handshake.headers.authorization ?? '')?.[1];
}
