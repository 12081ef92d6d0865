import { Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { SessionEvents } from '../../auth/session-events';
import type { AuthUser } from '../../common/auth/auth-user';
import type { MessageResponse } from '../../messages/dto/message.dto';
import type { MessageEvents } from '../../messages/message-events';
import type { ReadEvent } from '../../contract/events';
import type { RoomResponse } from '../../rooms/dto/room.dto';
import type { RoomEvents } from '../../rooms/room-events';
import type { UserResponse } from '../../users/dto/user.response';
import type { UserEvents } from '../../users/user-events';
import { SESSION_ENDED } from '../connections/connection-ends';
import { roomChannel, sessionChannel, userChannel } from '../protocol/channels';
import type { ServerEventName, ServerEventPayload, ServerToClientEvents } from '../protocol/events';
import { RawClients } from '../raw-ws/raw-clients';
import { endConnection } from '../raw-ws/raw-sends';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../../metrics/metrics';
import { withTimeout } from '../../common/with-timeout';

/** Events between server processes, relayed by the Redis adapter to raw clients of other nodes. */
interface InterServerEvents {
  raw_frame: (roomIds: number[], frame: string, exceptUserId: number | null) => void;
  raw_user_frame: (userIds: number[], frame: string) => void;
  raw_subscribe: (userId: number, roomId: number, subscribe: boolean) => void;
  /** Unsubscribes the users' connections of this process from a room, then answers. */
  room_left: (userIds: number[], roomId: number, done: (left: true) => void) => void;
}

/** How long a removal waits for every other process to confirm it (Redis down: it goes on). */
const REMOVAL_CONFIRM_TIMEOUT_MS = 3_000;

export type ChatServer = Server<Record<string, never>, ServerToClientEvents, InterServerEvents>;
export type FetchedSocket = Awaited<ReturnType<ChatServer['fetchSockets']>>[number];

/**
 * Delivers events to rooms on both transports, serializing each event once per transport. It is
 * the real-time side of the MessageEvents, RoomEvents and SessionEvents ports. With several server
 * processes, Socket.IO rooms span them through the adapter, and what raw clients need is relayed to
 * the other processes with server-side events.
 */
@Injectable()
export class RealtimeBroadcaster implements MessageEvents, RoomEvents, SessionEvents, UserEvents {
  private io?: ChatServer;
  private readonly clustered: boolean;
  private readonly logger = new Logger(RealtimeBroadcaster.name);

  constructor(
    private readonly rawClients: RawClients,
    private readonly metrics: Metrics,
    config: AppConfig,
  ) {
    this.clustered = config.redisUrl !== null;
  }

  bind(io: ChatServer): void {
    this.io = io;
    if (!this.clustered) return;
    io.on('raw_frame', (roomIds, frame, exceptUserId) => {
      this.rawClients.deliver(roomIds, frame, exceptUserId ?? undefined);
    });
    io.on('raw_user_frame', (userIds, frame) => this.rawClients.deliverToUsers(userIds, frame));
    io.on('raw_subscribe', (userId, roomId, subscribe) => {
      if (subscribe) this.rawClients.subscribe(userId, roomId);
      else this.rawClients.unsubscribe(userId, roomId);
    });
    io.on('room_left', (userIds, roomId, done) => {
      for (const userId of userIds) this.leaveLocally(userId, roomId);
      done(true);
    });
  }

  messageCreated(message: MessageResponse): void {
    this.toRooms([message.room_id], 'chat_message', message);
  }

  messageUpdated(message: MessageResponse): void {
    this.toRooms([message.room_id], 'message_updated', { message });
  }

  mentioned(userIds: readonly number[], message: MessageResponse): void {
    this.toUsers(userIds, 'mention', { message });
  }

  roomAdded(userId: number, room: RoomResponse): void {
    this.subscribe(userId, room.id, true);
    this.toUsers([userId], 'room_added', { room });
  }

  readMoved(userId: number, event: ReadEvent): void {
    this.toUsers([userId], 'read', event);
  }

  memberJoined(roomId: number, user: AuthUser, room?: RoomResponse): void {
    this.subscribe(user.id, roomId, true);
    this.toRooms([roomId], 'user_joined', {
      room_id: roomId,
      user_id: user.id,
      username: user.username,
    });
    if (room) this.toUsers([user.id], 'room_added', { room });
  }

  memberLeft(roomId: number, user: AuthUser): void {
    this.toRooms([roomId], 'user_left', {
      room_id: roomId,
      user_id: user.id,
      username: user.username,
    });
    this.subscribe(user.id, roomId, false);
    this.toUsers([user.id], 'room_removed', { room_id: roomId });
  }

  roomUpdated(userId: number, room: RoomResponse): void {
    this.toUsers([userId], 'room_updated', { room });
  }

  async memberRemoved(roomId: number, user: AuthUser): Promise<void> {
    this.toRooms([roomId], 'user_left', {
      room_id: roomId,
      user_id: user.id,
      username: user.username,
    });
    await this.leaveEverywhere([user.id], roomId);
    this.toUsers([user.id], 'room_removed', { room_id: roomId });
  }

  async roomDeleted(roomId: number, memberIds: readonly number[]): Promise<void> {
    await this.leaveEverywhere(memberIds, roomId);
    this.toUsers(memberIds, 'room_removed', { room_id: roomId });
  }

  /** The user's own connections are subscribed to their rooms; with none, they are told directly. */
  userUpdated(user: UserResponse, roomIds: readonly number[]): void {
    if (roomIds.length === 0) this.toUsers([user.id], 'user_updated', { user });
    else this.toRooms(roomIds, 'user_updated', { user });
  }

  typing(roomId: number, user: AuthUser, isTyping: boolean): void {
    const event = {
      room_id: roomId,
      user_id: user.id,
      username: user.username,
      is_typing: isTyping,
    };
    this.toRooms([roomId], 'typing', event, user.id);
  }

  presence(user: AuthUser, online: boolean, roomIds: readonly number[]): void {
    if (roomIds.length === 0) return;
    this.toRooms(
      roomIds,
      'presence',
      { user_id: user.id, username: user.username, online },
      user.id,
    );
  }

  /**
   * Closes this process's connections of these sessions, at once. Every process is told of ended
   * sessions itself (SessionRevocations), in order with the adapter's events: no relay.
   */
  sessionsEnded(sessionIds: readonly string[]): void {
    for (const sessionId of sessionIds) {
      const sockets = this.io?.local.in(sessionChannel(sessionId));
      sockets?.emit('error', SESSION_ENDED.error);
      sockets?.disconnectSockets(true);
    }
    for (const client of this.rawClients.ofSessions(sessionIds)) {
      endConnection(client.socket, SESSION_ENDED);
    }
  }

  /** This process's Socket.IO sockets (none before the server is bound). */
  async localSockets(): Promise<FetchedSocket[]> {
    return (await this.io?.local.fetchSockets()) ?? [];
  }

  /**
   * (Un)subscribes all of a user's connections. This process's sockets change at once, even while
   * Redis is down; the adapter's cluster-wide request (applied when it comes back round) and the
   * relay reach the sockets and raw clients of the other processes.
   */
  private subscribe(userId: number, roomId: number, subscribe: boolean): void {
    const [user, room] = [userChannel(userId), roomChannel(roomId)];
    if (subscribe) {
      this.io?.local.in(user).socketsJoin(room);
      this.rawClients.subscribe(userId, roomId);
    } else {
      this.leaveLocally(userId, roomId);
    }
    if (!this.clustered) return;
    if (subscribe) this.io?.in(user).socketsJoin(room);
    else this.io?.in(user).socketsLeave(room);
    this.relay('raw_subscribe', userId, roomId, subscribe);
  }

  /**
   * Unsubscribes the users' connections from the room on every process, and resolves once every
   * other process has confirmed it: a message sent after that, through any process, reaches none
   * of them. The adapter's request and the relay (see subscribe) travel on the publishing
   * connection ahead of this process's later messages, so they cover a process that does not
   * answer in time (Redis down: each applies them when it comes back).
   */
  private async leaveEverywhere(userIds: readonly number[], roomId: number): Promise<void> {
    for (const userId of userIds) this.subscribe(userId, roomId, false);
    const io = this.io;
    if (!this.clustered || !io || userIds.length === 0) return;
    const confirmed = io.serverSideEmitWithAck('room_left', [...userIds], roomId).then(
      () => true,
      () => false,
    );
    if (!(await withTimeout(confirmed, REMOVAL_CONFIRM_TIMEOUT_MS, false))) {
      this.logger.warn(`room ${roomId}: not every process confirmed a removal in time`);
    }
  }

  private leaveLocally(userId: number, roomId: number): void {
    this.io?.local.in(userChannel(userId)).socketsLeave(roomChannel(roomId));
    this.rawClients.unsubscribe(userId, roomId);
  }

  private toRooms<E extends ServerEventName>(
    roomIds: readonly number[],
    event: E,
    payload: ServerEventPayload<E>,
    exceptUserId?: number,
  ): void {
    this.metrics.eventPublished(event);
    if (this.io) {
      const channels = this.io.to(roomIds.map(roomChannel));
      const target =
        exceptUserId === undefined ? channels : channels.except(userChannel(exceptUserId));
      (target.emit as (event: E, payload: ServerEventPayload<E>) => boolean)(event, payload);
    }
    // The raw frame is built only when some raw client, here or on another process, may want it.
    if (!this.clustered && this.rawClients.isEmpty()) return;
    const frame = JSON.stringify({ type: event, ...payload });
    this.rawClients.deliver(roomIds, frame, exceptUserId);
    this.relay('raw_frame', [...roomIds], frame, exceptUserId ?? null);
  }

  /** To every connection of these users, on both transports and every process. */
  private toUsers<E extends ServerEventName>(
    userIds: readonly number[],
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    this.metrics.eventPublished(event);
    if (this.io) {
      const target = this.io.to(userIds.map(userChannel));
      (target.emit as (event: E, payload: ServerEventPayload<E>) => boolean)(event, payload);
    }
    if (!this.clustered && this.rawClients.isEmpty()) return;
    const frame = JSON.stringify({ type: event, ...payload });
    this.rawClients.deliverToUsers(userIds, frame);
    this.relay('raw_user_frame', [...userIds], frame);
  }

  /** Events without an answer, to the other processes. */
  private relay<E extends Exclude<keyof InterServerEvents, 'room_left'>>(
    event: E,
    ...args: Parameters<InterServerEvents[E]>
  ): void {
    if (!this.clustered || !this.io) return;
    (this.io.serverSideEmit as (event: E, ...args: Parameters<InterServerEvents[E]>) => boolean)(
      event,
      ...args,
    );
  }
}
