import type { User } from '../../src/contract/objects';

/** localStorage, tolerating browsers where it is unavailable or full. */
function read<T>(key: string): T | null {
  try {
    const text = localStorage.getItem(key);
    return text === null ? null : (JSON.parse(text) as T);
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the app works, it just forgets on reload.
  }
}

const SESSION_KEY = 'nest-chat.session';

export interface Session {
  token: string;
  user: User;
}

export function loadSession(): Session | null {
  const session = read<Session>(SESSION_KEY);
  return session && typeof session.token === 'string' && session.user ? session : null;
}

export function saveSession(session: Session | null): void {
  write(SESSION_KEY, session);
}

/** A message not yet acknowledged, kept so that a reload retries it with the same client_msg_id. */
export interface StoredPending {
  cid: string;
  roomId: number;
  content: string;
  createdAt: string;
  /** The message this one answers; absent in what older versions stored. */
  replyTo?: number | null;
}

/** What the client remembers per user between visits. */
export interface UserMemory {
  lastRoomId: number | null;
  /**
   * Per room: the newest message id seen and the highest change_id followed (absent in what older
   * versions stored, which also kept an unread count: the server counts those now).
   */
  rooms: Record<string, { lastId: number; unread?: number; changeId?: number }>;
  outbox: StoredPending[];
}

const memoryKey = (userId: number) => `nest-chat.user.${userId}`;

export function loadMemory(userId: number): UserMemory {
  const memory = read<UserMemory>(memoryKey(userId));
  return {
    lastRoomId: memory?.lastRoomId ?? null,
    rooms: memory?.rooms ?? {},
    outbox: Array.isArray(memory?.outbox) ? memory.outbox : [],
  };
}

export function saveMemory(userId: number, memory: UserMemory): void {
  write(memoryKey(userId), memory);
}

/** A client_msg_id: random, and available on plain-HTTP pages too (randomUUID is not). */
export function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const notifyKey = (userId: number) => `nest-chat.notifications.${userId}`;

/** Whether the user turned desktop notifications on (in this browser). */
export function loadNotifyChoice(userId: number): boolean {
  return read<boolean>(notifyKey(userId)) === true;
}

export function saveNotifyChoice(userId: number, on: boolean): void {
  write(notifyKey(userId), on ? true : null);
}
