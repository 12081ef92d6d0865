/**
 * The wire contract shared by the server and the browser client: payloads of the events the
 * server sends, and the acknowledgements of the events clients send (see objects.ts). The raw
 * WebSocket sends the same payloads with the event's name in `type`.
 */
import type { ErrorBody, Message, Room, User } from './objects';

/** `user_joined` and `user_left`. */
export interface MemberEvent {
  room_id: number;
  user_id: number;
  username: string;
}

/** `typing`, to the others in the room. */
export interface TypingEvent extends MemberEvent {
  is_typing: boolean;
}

/** `presence`: a user's first connection opened or last one closed. */
export interface PresenceEvent {
  user_id: number;
  username: string;
  online: boolean;
}

/** `user_updated`: a user's profile changed; to those who share a room with them, and their own. */
export interface UserUpdatedEvent {
  user: User;
}

/** `message_updated`: a message was edited, deleted (the tombstone) or reacted to. */
export interface MessageUpdatedEvent {
  message: Message;
}

/** `room_added`: a room the user can now read (a new direct room, an invitation, a join). */
export interface RoomAddedEvent {
  room: Room;
}

/** `room_updated`: a room's name or description changed; each member gets it as they see it. */
export interface RoomUpdatedEvent {
  room: Room;
}

/** `room_removed`: the user left the room or can no longer read it; to the user's own connections. */
export interface RoomRemovedEvent {
  room_id: number;
}

/** `read`: the caller's read position moved, to their other connections. */
export interface ReadEvent {
  room_id: number;
  last_read_id: number;
  unread_count: number;
  mention_count: number;
}

/** `mention`: a message naming the user, on all their connections, whatever room they look at. */
export interface MentionEvent {
  message: Message;
}

/** An error as every transport sends it: the HTTP error body without the status. */
export type ErrorPayload = Omit<ErrorBody, 'status_code'>;

/** `resync`: events for this connection may have been missed (a Redis outage); sync now. */
export interface ResyncEvent {
  reason: 'redis_recovered';
}

/** The acknowledgement of a client event (on the raw WebSocket, the fields of its ack frame). */
export type Ack<T extends object = object> = ({ ok: true } & T) | FailedAck;

/** A refused or failed client event. */
export interface FailedAck {
  ok: false;
  error: ErrorPayload;
}

/** The ack of `join_room`. */
export type RoomAck = Ack<{ room: Room }>;

/** The ack of `chat_message`, `edit_message`, `delete_message` and `react`. */
export type MessageAck = Ack<{ message: Message }>;

/** The ack of `sync`: what was missed, oldest first. */
export type MessagesAck = Ack<{ messages: Message[] }>;
