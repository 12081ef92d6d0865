import type { Message } from '../../contract/objects';
import type {
  ErrorPayload,
  MemberEvent,
  MentionEvent,
  MessageUpdatedEvent,
  PresenceEvent,
  ReadEvent,
  RoomAddedEvent,
  RoomRemovedEvent,
  RoomUpdatedEvent,
  ResyncEvent,
  TypingEvent,
  UserUpdatedEvent,
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
  /** A profile changed: to those who share a room with the user. */
  user_updated: (event: UserUpdatedEvent) => void;
  /** To the user's own connections: a room they can now read, or one they no longer can. */
  room_added: (event: RoomAddedEvent) => void;
  room_removed: (event: RoomRemovedEvent) => void;
  /** To each member's own connections: a room renamed or described anew, as that member sees it. */
  room_updated: (event: RoomUpdatedEvent) => void;
  /** To the user's other connections: their read position in a room moved. */
  read: (event: ReadEvent) => void;
  /** To the named user's connections, whatever room they look at. */
  mention: (event: MentionEvent) => void;
  /** Events for this connection may have been missed (e.g. during a Redis outage): sync now. */
  resync: (event: ResyncEvent) => void;
  error: (event: ErrorPayload) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
