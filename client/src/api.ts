import { ErrorCode } from '../../src/common/errors/error-code';
import type {
  AdminUser,
  AuthResponse,
  ErrorBody,
  Message,
  Room,
  SearchHit,
  User,
} from '../../src/contract/objects';
import { ApiError } from './errors';
import type { Member } from './moderation';

/** An error answer as received: not trusted to have the contract's shape (a proxy may answer). */
type UncheckedErrorBody = { [K in keyof ErrorBody]?: unknown };

/** The REST half of the contract. The token travels in the Authorization header only. */
export class Api {
  constructor(
    private readonly token: () => string | null,
    private readonly onUnauthorized: () => void,
  ) {}

  register(username: string, password: string): Promise<AuthResponse> {
    return this.request('POST', '/api/auth/register', { username, password });
  }

  login(username: string, password: string): Promise<AuthResponse> {
    return this.request('POST', '/api/auth/login', { username, password });
  }

  me(): Promise<User> {
    return this.request('GET', '/api/users/me');
  }

  users(): Promise<User[]> {
    return this.request('GET', '/api/users');
  }

  /** Ends this session: its token stops working at once. */
  logout(): Promise<void> {
    return this.request('POST', '/api/auth/logout');
  }

  /** Ends every session of the user, this one included. */
  logoutAll(): Promise<void> {
    return this.request('POST', '/api/auth/logout-all');
  }

  updateMe(displayName: string): Promise<User> {
    return this.request('PATCH', '/api/users/me', { display_name: displayName });
  }

  /** 401 invalid_credentials for a wrong current password; the user's other sessions end. */
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.request('POST', '/api/users/me/password', {
      current_password: currentPassword,
      new_password: newPassword,
    });
  }

  /** The user's sessions, unchecked (see sessions.ts). */
  sessions(): Promise<unknown> {
    return this.request('GET', '/api/users/me/sessions');
  }

  endSession(id: string): Promise<void> {
    return this.request('DELETE', `/api/users/me/sessions/${encodeURIComponent(id)}`);
  }

  /** Every account, for server admins (each with `deactivated`). */
  adminUsers(): Promise<AdminUser[]> {
    return this.request('GET', '/api/admin/users');
  }

  /** Deactivates (`active` false) or reactivates an account. */
  setActive(userId: number, active: boolean): Promise<void> {
    return this.request(
      'POST',
      `/api/admin/users/${userId}/${active ? 'reactivate' : 'deactivate'}`,
    );
  }

  /** The direct room of the user and `username`, made on first use. */
  directRoom(username: string): Promise<Room> {
    return this.request('POST', '/api/dms', { username });
  }

  /** Tells how far the user has read a room; the server never moves it back. */
  markRead(roomId: number, lastReadId: number): Promise<void> {
    return this.request('POST', `/api/rooms/${roomId}/read`, { last_read_id: lastReadId });
  }

  /** Messages matching every word of `q` in the user's rooms, newest first, before `before`. */
  search(
    q: string,
    query: { before?: number; limit?: number; room_id?: number } = {},
  ): Promise<SearchHit[]> {
    return this.request('GET', `/api/search/messages?${params({ q, ...query })}`);
  }

  rooms(): Promise<Room[]> {
    return this.request('GET', '/api/rooms');
  }

  createRoom(name: string, description: string, isPrivate: boolean): Promise<Room> {
    return this.request('POST', '/api/rooms', {
      name,
      ...(description && { description }),
      is_private: isPrivate,
    });
  }

  join(roomId: number): Promise<Room> {
    return this.request('POST', `/api/rooms/${roomId}/join`);
  }

  leave(roomId: number): Promise<void> {
    return this.request('POST', `/api/rooms/${roomId}/leave`);
  }

  members(roomId: number): Promise<Member[]> {
    return this.request('GET', `/api/rooms/${roomId}/members`);
  }

  /** Renames a room or changes its description (its owner and admins). */
  updateRoom(roomId: number, changes: { name?: string; description?: string }): Promise<Room> {
    return this.request('PATCH', `/api/rooms/${roomId}`, changes);
  }

  deleteRoom(roomId: number): Promise<void> {
    return this.request('DELETE', `/api/rooms/${roomId}`);
  }

  /** The owner makes a member an admin, or an admin a member again. */
  setMemberRole(roomId: number, userId: number, role: 'admin' | 'member'): Promise<Member> {
    return this.request('PATCH', `/api/rooms/${roomId}/members/${userId}`, { role });
  }

  removeMember(roomId: number, userId: number): Promise<void> {
    return this.request('DELETE', `/api/rooms/${roomId}/members/${userId}`);
  }

  /** The people banned from a room, the latest first (its owner and admins). */
  bans(roomId: number): Promise<User[]> {
    return this.request('GET', `/api/rooms/${roomId}/bans`);
  }

  /** Bans (`banned` true: removes and bars) or unbans a user. */
  setBanned(roomId: number, userId: number, banned: boolean): Promise<void> {
    return banned
      ? this.request('POST', `/api/rooms/${roomId}/bans`, { user_id: userId })
      : this.request('DELETE', `/api/rooms/${roomId}/bans/${userId}`);
  }

  invite(roomId: number, username: string): Promise<User> {
    return this.request('POST', `/api/rooms/${roomId}/members`, { username });
  }

  /**
   * Oldest first: the newest `limit`, those before `before`, the oldest `limit` after `after`, or
   * the page centred on `around`; or, with `changed_after`, the messages changed since that
   * change_id, oldest change first.
   */
  messages(
    roomId: number,
    query: {
      limit?: number;
      before?: number;
      after?: number;
      around?: number;
      changed_after?: number;
    } = {},
  ): Promise<Message[]> {
    const search = params(query);
    return this.request('GET', `/api/rooms/${roomId}/messages${search ? `?${search}` : ''}`);
  }

  /** One message of a room (the one a reply answers); 404 message_not_found if not in it. */
  message(roomId: number, messageId: number): Promise<Message> {
    return this.request('GET', `/api/rooms/${roomId}/messages/${messageId}`);
  }

  send(
    roomId: number,
    content: string,
    clientMsgId: string,
    replyTo: number | null = null,
  ): Promise<Message> {
    return this.request('POST', `/api/rooms/${roomId}/messages`, {
      content,
      client_msg_id: clientMsgId,
      ...(replyTo !== null && { reply_to: replyTo }),
    });
  }

  /** Edits one's own message; 403 not_message_author for others'. */
  edit(roomId: number, messageId: number, content: string): Promise<Message> {
    return this.request('PATCH', `/api/rooms/${roomId}/messages/${messageId}`, { content });
  }

  /** Deletes a message (its author, or the room's owner); answers 204, without the tombstone. */
  deleteMessage(roomId: number, messageId: number): Promise<void> {
    return this.request('DELETE', `/api/rooms/${roomId}/messages/${messageId}`);
  }

  /** Adds (`on`) or takes back the user's reaction with one emoji. */
  react(roomId: number, messageId: number, emoji: string, on: boolean): Promise<Message> {
    const path = `/api/rooms/${roomId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;
    return this.request(on ? 'PUT' : 'DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'network_error', 'The server cannot be reached.');
    }
    if (response.status === 204) return undefined as T;
    const data: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (data ?? {}) as UncheckedErrorBody;
      // The contract's codes; a newer server's unknown one is shown with its message.
      const code = typeof error.code === 'string' ? (error.code as ErrorCode) : 'http_error';
      const message = typeof error.message === 'string' ? error.message : `HTTP ${response.status}`;
      const retryAfter =
        typeof error.retry_after_ms === 'number' ? error.retry_after_ms : undefined;
      // A token the server no longer takes (the session was ended, the account deactivated).
      const refused = code === ErrorCode.Unauthorized || code === ErrorCode.AccountDeactivated;
      if (response.status === 401 && token && refused) {
        this.onUnauthorized();
      }
      throw new ApiError(response.status, code, message, retryAfter);
    }
    return data as T;
  }
}

/** A query string of the values given. */
function params(query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) search.set(key, String(value));
  }
  return search.toString();
}
