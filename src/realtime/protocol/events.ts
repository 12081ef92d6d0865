import type { ErrorPayload } from '../../common/errors/error-body';
import type { MessageResponse } from '../../messages/dto/message.dto';

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
