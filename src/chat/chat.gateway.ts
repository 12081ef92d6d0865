import { Logger, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import type { Ack, MessageAck, MessagesAck, RoomAck, ServerToClientEvents } from './chat-events';
import { roomChannel, userChannel } from './chat-events';
import { ChatService } from './chat.service';
import { ChatMessageDto, RoomRefDto, SyncDto, TypingDto } from './dto/chat.dto';
import { InFlight } from './in-flight';
import { expireSessionAt, SESSION_EXPIRED } from './session-expiry';
import { Metrics } from '../metrics/metrics';
import { ChatServer, RealtimeBroadcaster } from './realtime-broadcaster';
import { errorEventOf, WsExceptionFilter } from './ws-errors';

interface SocketData {
  user: AuthUser;
  /** When the handshake's access token expires (ms since the epoch). */
  expiresAt: number;
  /** Rooms subscribed at the handshake. */
  roomIds: number[];
}

type ChatSocket = Socket<
  Record<string, never>,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/**
 * Socket.IO transport: authenticates the handshake with the same AuthService as HTTP, subscribes
 * the socket to the user's rooms, and hands every event to ChatService. Handlers return the ack;
 * payloads are validated by the application's global AppValidationPipe, as HTTP bodies are.
 */
@WebSocketGateway()
@UseFilters(WsExceptionFilter)
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly auth: AuthService,
    private readonly chat: ChatService,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly inFlight: InFlight,
    private readonly metrics: Metrics,
  ) {}

  afterInit(server: Server): void {
    this.broadcaster.bind(server as ChatServer);
    // Guards do not run on connection, so the handshake is checked here, before it completes.
    server.use((socket, next) => {
      this.authenticate(socket as ChatSocket).then(
        () => next(),
        (error: unknown) => next(new Error(handshakeError(error))),
      );
    });
  }

  async handleConnection(socket: ChatSocket): Promise<void> {
    this.metrics.connectionOpened('socketio');
    const cancelExpiry = expireSessionAt(socket.data.expiresAt, () => {
      socket.emit('error', SESSION_EXPIRED);
      socket.disconnect(true);
    });
    socket.once('disconnect', cancelExpiry);
    await this.chat.connected(socket.data.user, socket.data.roomIds).catch((error: unknown) => {
      this.logger.warn(`presence update failed: ${String(error)}`);
    });
  }

  async handleDisconnect(socket: ChatSocket): Promise<void> {
    if (!socket.data.user) return;
    this.metrics.connectionClosed('socketio');
    await this.chat.disconnected(socket.data.user).catch((error: unknown) => {
      this.logger.warn(`presence update failed: ${String(error)}`);
    });
  }

  @SubscribeMessage('join_room')
  join(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: RoomRefDto): Promise<RoomAck> {
    return this.inFlight.run(() => this.chat.join(socket.data.user, dto));
  }

  @SubscribeMessage('leave_room')
  leave(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: RoomRefDto): Promise<Ack> {
    return this.inFlight.run(() => this.chat.leave(socket.data.user, dto));
  }

  @SubscribeMessage('chat_message')
  send(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: ChatMessageDto,
  ): Promise<MessageAck> {
    return this.inFlight.run(() => this.chat.send(socket.data.user, dto));
  }

  @SubscribeMessage('typing')
  typing(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: TypingDto): Promise<Ack> {
    return this.inFlight.run(() => this.chat.typing(socket.data.user, dto));
  }

  @SubscribeMessage('sync')
  sync(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: SyncDto): Promise<MessagesAck> {
    return this.inFlight.run(() => this.chat.sync(socket.data.user, dto));
  }

  private async authenticate(socket: ChatSocket): Promise<void> {
    const { user, expiresAt } = await this.auth.verifySession(handshakeToken(socket) ?? '');
    const roomIds = await this.chat.subscriptionsOf(user);
    socket.data.user = user;
    socket.data.expiresAt = expiresAt;
    socket.data.roomIds = roomIds;
    await socket.join([userChannel(user.id), ...roomIds.map(roomChannel)]);
  }
}

/** `auth: { token }` as the contract says; an `Authorization: Bearer` header for other clients. */
function handshakeToken(socket: ChatSocket): string | undefined {
  const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
  if (typeof token === 'string' && token !== '') return token;
  return /^Bearer\s+(\S+)$/i.exec(socket.handshake.headers.authorization ?? '')?.[1];
}

/** connect_error's message: the contract code, "unauthorized" for any token problem. */
function handshakeError(error: unknown): string {
  return errorEventOf(error).code;
}
