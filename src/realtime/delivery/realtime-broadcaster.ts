import { Inject, Injectable, Logger } from '@nestjs/common';
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
import { RawChannels } from './raw-channels';
import { endConnection } from '../raw-ws/raw-sends';
import { RedisConnection } from '../../cluster/redis-connection';
import { Metrics } from '../../metrics/metrics';
import { withTimeout } from '../../common/with-timeout';

/** Requests between server processes, through the Socket.IO adapter. */
interface InterServerEvents {
  /**
   * Subscribes this process's connections of the user to the room, then answers once its
   * subscriptions in Redis are in force.
   */
  room_joined: (userId: number, roomId: number, done: (joined: true) => void) => void;
  /** Unsubscribes the users' connections of this process from a room, then answers. */
  room_left: (userIds: number[], roomId: number, done: (left: true) => void) => void;
}

/**
 * How long a join or a removal waits for every other process to confirm it (Redis down: it goes
 * on, and each process re-subscribes its connections from the store when Redis is back).
 */
const CONFIRM_TIMEOUT_MS = 3_000;

export type ChatServer = Server<Record<string, never>, ServerToClientEvents, InterServerEvents>;
export type FetchedSocket = Awaited<ReturnType<ChatServer['fetchSockets']>>[number];

/**
 * Delivers events to rooms on both transports, serializing each event once per transport. It is
 * the real-time side of the MessageEvents, RoomEvents and SessionEvents ports. With several server
 * processes, Socket.IO rooms span them through the adapter, raw frames through RawChannels, and
 * membership changes are requests to every process, answered once they are in force.
 */
@Injectable()
export class RealtimeBroadcaster implements MessageEvents, RoomEvents, SessionEvents, UserEvents {
  private io?: ChatServer;
  private readonly logger = new Logger(RealtimeBroadcaster.name);

  constructor(
    private readonly rawClients: RawClients,
    private readonly rawChannels: RawChannels,
    private readonly metrics: Metrics,
    // Null without REDIS_URL (a union type names no class for the injector: hence @Inject).
    @Inject(RedisConnection) private readonly redis: RedisConnection | null,
  ) {}

  bind(io: ChatServer): void {
    this.io = io;
    if (!this.redis) return;
    io.on('room_joined', (userId, roomId, done) => {
      void this.joinHere(userId, roomId).then(() => done(true));
    });
    io.on('room_left', (userIds, roomId, done) => {
      for (const userId of userIds) this.leaveHere(userId, roomId);
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

  async roomAdded(userId: number, room: RoomResponse): Promise<void> {
    await this.joinEverywhere(userId, room.id);
    this.toUsers([userId], 'room_added', { room });
  }

  readMoved(userId: number, event: ReadEvent): void {
    this.toUsers([userId], 'read', event);
  }

  async memberJoined(roomId: number, user: AuthUser, room?: RoomResponse): Promise<void> {
    await this.joinEverywhere(user.id, roomId);
    this.toRooms([roomId], 'user_joined', {
      room_id: roomId,
      user_id: user.id,
      username: user.username,
    });
    if (room) this.toUsers([user.id], 'room_added', { room });
  }

  /** A leave is confirmed by every process, as a removal is. */
  memberLeft(roomId: number, user: AuthUser): Promise<void> {
    return this.memberRemoved(roomId, user);
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
   * Subscribes the user's connections to the room on every process, and resolves once every
   * process has confirmed that its subscriptions are in force: a message sent after that, through
   * any process, reaches all of them.
   */
  private async joinEverywhere(userId: number, roomId: number): Promise<void> {
    const here = this.joinHere(userId, roomId);
    if (!this.redis || !this.io) return;
    const there = this.io.serverSideEmitWithAck('room_joined', userId, roomId).then(
      () => true,
      () => false,
    );
    await this.confirmed(Promise.all([here, there]), `room ${roomId}: a join`);
  }

  /** This process's connections of the user join the room; true once that is in force in Redis. */
  private async joinHere(userId: number, roomId: number): Promise<boolean> {
    this.io?.local.in(userChannel(userId)).socketsJoin(roomChannel(roomId));
    this.rawClients.subscribe(userId, roomId);
    return (await this.redis?.subscriptionsInForce()) ?? true;
  }

  /**
   * Unsubscribes the users' connections from the room on every process, and resolves once every
   * other process has confirmed it: a message sent after that, through any process, reaches none
   * of them.
   */
  private async leaveEverywhere(userIds: readonly number[], roomId: number): Promise<void> {
    for (const userId of userIds) this.leaveHere(userId, roomId);
    const io = this.io;
    if (!this.redis || !io || userIds.length === 0) return;
    const there = io.serverSideEmitWithAck('room_left', [...userIds], roomId).then(
      () => true,
      () => false,
    );
    await this.confirmed(there, `room ${roomId}: a removal`);
  }

  private leaveHere(userId: number, roomId: number): void {
    this.io?.local.in(userChannel(userId)).socketsLeave(roomChannel(roomId));
    this.rawClients.unsubscribe(userId, roomId);
  }

  /** Waits up to CONFIRM_TIMEOUT_MS for every process to confirm a membership change. */
  private async confirmed(answers: Promise<boolean | boolean[]>, what: string): Promise<void> {
    const all = answers.then((answer) => [answer].flat().every(Boolean));
    if (!(await withTimeout(all, CONFIRM_TIMEOUT_MS, false))) {
      this.logger.warn(`${what} was not confirmed by every process in time`);
    }
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
    if (!this.redis && this.rawClients.isEmpty()) return;
    const frame = JSON.stringify({ type: event, ...payload });
    this.rawClients.deliver(roomIds, frame, exceptUserId);
    this.rawChannels.toRooms(roomIds, frame, exceptUserId);
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
    if (!this.redis && this.rawClients.isEmpty()) return;
    const frame = JSON.stringify({ type: event, ...payload });
    this.rawClients.deliverToUsers(userIds, frame);
    this.rawChannels.toUsers(userIds, frame);
  }
}
