/** The wire objects of the contract (snake_case, as the server sends them). */

export interface User {
  id: number;
  username: string;
  created_at: string;
  online: boolean;
}

export interface Room {
  id: number;
  name: string;
  description: string;
  is_private: boolean;
  created_by: number;
  created_at: string;
  member_count: number;
  /** Not in contract v1; used when a server adds it, to avoid asking each room for its members. */
  is_member?: boolean;
}

export interface Message {
  type: 'chat_message';
  id: number;
  room_id: number;
  user_id: number;
  username: string;
  content: string;
  created_at: string;
  client_msg_id: string | null;
}

export interface AuthResponse {
  user: User;
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface ErrorInfo {
  code: string;
  message: string;
  retry_after_ms?: number;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorInfo };

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
