import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { AuthUser } from '../../common/auth/auth-user';
import type { MessageResponse } from '../../messages/dto/message.dto';
import type { MessageEvents } from '../../messages/message-events';
import type { ReadEvent } from '../../contract/events';
import type { RoomResponse } from '../../rooms/dto/room.dto';
import type { RoomEvents } from '../../rooms/room-events';
import type { UserResponse } from '../../users/dto/user.response';
import type { UserEvents } from '../../users/user-events';
import { roomChannel, userChannel } from '../protocol/channels';
import type { ServerEventName, ServerEventPayload, ServerToClientEvents } from '../protocol/events';
import { RawClients } from '../raw-ws/raw-clients';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../../metrics/metrics';

/** Events between server processes, relayed by the Redis adapter to raw clients of other nodes. */
interface InterServerEvents {
  raw_frame: (roomIds: number[], frame: string, exceptUserId: number | null) => void;
  raw_user_frame: (userIds: number[], frame: string) => void;
  raw_subscribe: (userId: number, roomId: number, subscribe: boolean) => void;
}

export type ChatServer = Server<Record<string, never>, ServerToClientEvents, InterServerEvents>;
export type FetchedSocket = Awaited<ReturnType<ChatServer['fetchSockets']>>[number];

/**
 * Delivers events to rooms on both transports, serializing each event once per transport. It is
 * the real-time side of the MessageEvents and RoomEvents ports. With several server processes,
 * Socket.IO rooms span them through the adapter, and what raw clients need is relayed to the other
 * processes with server-side events.
 */
@Injectable()
export class RealtimeBroadcaster implements MessageEvents, RoomEvents, UserEvents {
  private io?: ChatServer;
  private readonly clustered: boolean;

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

  roomDeleted(roomId: number, memberIds: readonly number[]): void {
    for (const userId of memberIds) this.subscribe(userId, roomId, false);
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
      this.io?.local.in(user).socketsLeave(room);
      this.rawClients.unsubscribe(userId, roomId);
    }
    if (!this.clustered) return;
    if (subscribe) this.io?.in(user).socketsJoin(room);
    else this.io?.in(user).socketsLeave(room);
    this.relay('raw_subscribe', userId, roomId, subscribe);
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

  private relay<E extends keyof InterServerEvents>(
    event: E,
    ...args: Parameters<InterServerEvents[E]>
  ): void {
    if (this.clustered) this.io?.serverSideEmit(event, ...args);
  }
}
