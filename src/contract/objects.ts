/**
 * The wire contract shared by the server and the browser client: the objects of REST answers and
 * real-time events, snake_case as they travel. Types only, importing nothing at run time, so that
 * the client's bundle can use them; the server's response classes implement them, and
 * contract.check.ts fails the build when the two differ in any field.
 */
import type { ErrorCode } from '../common/errors/error-code';

export interface User {
  id: number;
  username: string;
  /** ISO-8601 UTC. */
  created_at: string;
  /** Has at least one live real-time connection. */
  online: boolean;
  /** What people see (1..64 characters); the username by default, which stays the handle. */
  display_name: string;
  /** The server role; the first account of a fresh store is an admin. */
  role: UserRole;
}

export type UserRole = 'admin' | 'user';

/** A user as a server admin sees them. */
export interface AdminUser extends User {
  /** A deactivated account cannot sign in, and has no sessions. */
  deactivated: boolean;
}

/** A room's member: the user with their role in the room. */
export interface Member extends User {
  room_role: RoomRole;
}

export interface Room {
  id: number;
  name: string;
  description: string;
  is_private: boolean;
  /** The owner; null for rooms made by the server (the default rooms). */
  created_by: number | null;
  created_at: string;
  member_count: number;
  /** Whether the caller is a member; false without a token. */
  is_member: boolean;
  /** A channel, or the direct room of two users (or of one, for notes to oneself). */
  kind: RoomKind;
  /** The caller's role; null when not a member. */
  role: RoomRole | null;
  /** The newest message the caller has read; null when not a member. */
  last_read_id: number | null;
  /**
   * Messages after last_read_id, not the caller's own and not deleted, counted up to 1,000;
   * null when not a member.
   */
  unread_count: number | null;
  /** The same, mentioning the caller. */
  mention_count: number | null;
}

export type RoomKind = 'channel' | 'direct';
export type RoomRole = 'owner' | 'admin' | 'member';

export interface Message {
  type: 'chat_message';
  id: number;
  room_id: number;
  user_id: number;
  username: string;
  content: string;
  created_at: string;
  /** The sender's own id for the send, or null. */
  client_msg_id: string | null;
  /** The message of the same room this one answers. */
  reply_to: number | null;
  /** ISO-8601 UTC of the latest edit; null until edited. */
  edited_at: string | null;
  /** A tombstone: same id and place, empty content, no reactions. */
  deleted: boolean;
  /** In order of first use. */
  reactions: Reaction[];
  /** The room's change counter at this message's latest change (sent, edited, deleted, reacted). */
  change_id: number;
  /** Users named as `@username` who could read the room when it was sent (or last edited). */
  mentions: number[];
}

/** A message found by search, with the name of its room as the caller sees it. */
export interface SearchHit extends Message {
  room_name: string;
}

/** The reactions of one emoji to a message. */
export interface Reaction {
  emoji: string;
  count: number;
  /** In the order they reacted. */
  user_ids: number[];
}

/** The answer of register and login. */
export interface AuthResponse {
  user: User;
  access_token: string;
  token_type: 'Bearer';
  /** Seconds until the token expires. */
  expires_in: number;
}

/** One of the caller's sessions (`GET /api/users/me/sessions`): a sign-in whose tokens work. */
export interface Session {
  id: string;
  created_at: string;
  /** To the minute. */
  last_used_at: string;
  user_agent: string | null;
  /** The session of the token that asked. */
  current: boolean;
}

export interface FieldError {
  field: string;
  message: string;
}

/** The body of every HTTP answer that is not a success. */
export interface ErrorBody {
  status_code: number;
  code: ErrorCode;
  message: string;
  /** With validation_failed. */
  details?: FieldError[];
  /** With rate_limited. */
  retry_after_ms?: number;
}
