import type { ErrorPayload } from '../common/errors/error-body';
import type { MessageResponse } from '../messages/dto/message.dto';
import type { RoomResponse } from '../rooms/dto/room.dto';

export interface MemberEvent {
  room_id: number;
  user_id: number;
  username: string;
}

export interface TypingEvent extends MemberEvent {
  is_typing: boolean;
}

export interface PresenceEvent {
  user_id: number;
  username: string;
  online: boolean;
}

export type ErrorEvent = ErrorPayload;

export interface ResyncEvent {
  reason: 'redis_recovered';
}

/** What the server sends; the raw WebSocket sends the same payloads with the name in `type`. */
export interface ServerToClientEvents {
  chat_message: (message: MessageResponse) => void;
  user_joined: (event: MemberEvent) => void;
  user_left: (event: MemberEvent) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
  /** Events for this connection may have been missed (e.g. during a Redis outage): sync now. */
  resync: (event: ResyncEvent) => void;
  error: (event: ErrorEvent) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Acknowledgements of client events. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorEvent };
export type RoomAck = Ack<{ room: RoomResponse }>;
export type MessageAck = Ack<{ message: MessageResponse }>;
export type MessagesAck = Ack<{ messages: MessageResponse[] }>;

/**
 * The client events the gateway binds itself (the others are `@SubscribeMessage` handlers): a
 * payload and an acknowledgement, as the client sent them (see eventArgs).
 */
export interface DirectClientEvents {
  chat_message: (...args: unknown[]) => void;
  typing: (...args: unknown[]) => void;
}

export const SOCKET_IO_PATH = '/socket.io';

/** Socket.IO room names: one per chat room, one per user (all of that user's connections). */
export const ROOM_CHANNEL_PREFIX = 'room:';
export const roomChannel = (roomId: number) => `${ROOM_CHANNEL_PREFIX}${roomId}`;
export const userChannel = (userId: number) => `user:${userId}`;
