import type { Message } from '../../contract/objects';
import type {
  ErrorPayload,
  MemberEvent,
  MessageUpdatedEvent,
  PresenceEvent,
  ResyncEvent,
  TypingEvent,
} from '../../contract/events';

/** What the server sends; the raw WebSocket sends the same payloads with the name in `type`. */
export interface ServerToClientEvents {
  chat_message: (message: Message) => void;
  /** An edit, a deletion (the tombstone) or a reaction. */
  message_updated: (event: MessageUpdatedEvent) => void;
  user_joined: (event: MemberEvent) => void;
  user_left: (event: MemberEvent) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
  /** Events for this connection may have been missed (e.g. during a Redis outage): sync now. */
  resync: (event: ResyncEvent) => void;
  error: (event: ErrorPayload) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
