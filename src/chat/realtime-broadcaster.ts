import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { AuthUser } from '../auth/auth-user';
import type { MessageResponse } from '../messages/dto/message.dto';
import type { MessageEvents } from '../messages/message-events';
import type { RoomEvents } from '../rooms/room-events';
import {
  roomChannel,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
  userChannel,
} from './chat-events';
import { RawClients } from './raw-clients';

export type ChatServer = Server<Record<string, never>, ServerToClientEvents>;

/**
 * Delivers events to rooms on both transports, serializing each event once per transport. It is
 * the real-time side of the MessageEvents and RoomEvents ports.
 */
@Injectable()
export class RealtimeBroadcaster implements MessageEvents, RoomEvents {
  private io?: ChatServer;

  constructor(private readonly rawClients: RawClients) {}

  bind(io: ChatServer): void {
    this.io = io;
  }

  messageCreated(message: MessageResponse): void {
    this.toRooms([message.room_id], 'chat_message', message);
  }

  memberJoined(roomId: number, user: AuthUser): void {
    this.io?.in(userChannel(user.id)).socketsJoin(roomChannel(roomId));
    this.rawClients.subscribe(user.id, roomId);
    this.toRooms([roomId], 'user_joined', {
      room_id: roomId,
      user_id: user.id,
      username: user.username,
    });
  }

  memberLeft(roomId: number, user: AuthUser): void {
    this.toRooms([roomId], 'user_left', {
      room_id: roomId,
      user_id: user.id,
      username: user.username,
    });
    this.io?.in(userChannel(user.id)).socketsLeave(roomChannel(roomId));
    this.rawClients.unsubscribe(user.id, roomId);
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

  private toRooms<E extends ServerEventName>(
    roomIds: readonly number[],
    event: E,
    payload: ServerEventPayload<E>,
    exceptUserId?: number,
  ): void {
    if (this.io) {
      const channels = this.io.to(roomIds.map(roomChannel));
      const target =
        exceptUserId === undefined ? channels : channels.except(userChannel(exceptUserId));
      (target.emit as (event: E, payload: ServerEventPayload<E>) => boolean)(event, payload);
    }
    this.rawClients.deliver(roomIds, JSON.stringify({ type: event, ...payload }), exceptUserId);
  }
}
