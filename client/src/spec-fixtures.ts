import type { Message, Room } from '../../src/contract/objects';
import type { Clock, Timer } from './clock';
import { RoomStore } from './room-store';
import type { UserMemory } from './storage';

/** A message as the server sends it, for the client's specs: the fields a spec names, else plain ones. */
export function messageFixture(
  fields: Pick<Message, 'id' | 'room_id' | 'user_id' | 'username'> & Partial<Message>,
): Message {
  return {
    type: 'chat_message',
    content: `message ${fields.id}`,
    created_at: '2026-01-01T00:00:00.000Z',
    client_msg_id: null,
    reply_to: null,
    edited_at: null,
    deleted: false,
    reactions: [],
    change_id: fields.id,
    mentions: [],
    ...fields,
  };
}

/** The viewer of the room store specs, and another user. */
export const ME = 1;
export const OTHER = 2;

export function roomFixture(id: number, name: string, fields: Partial<Room> = {}): Room {
  return {
    id,
    name,
    description: '',
    is_private: false,
    created_by: OTHER,
    created_at: '2026-01-01T00:00:00.000Z',
    member_count: 2,
    is_member: true,
    kind: 'channel',
    role: fields.is_member === false ? null : 'member',
    last_read_id: fields.is_member === false ? null : 0,
    unread_count: fields.is_member === false ? null : 0,
    mention_count: fields.is_member === false ? null : 0,
    ...fields,
  };
}

/** A message of `roomId` by `userId` (OTHER unless said), as ME's room store sees it. */
export function roomMessage(id: number, roomId: number, userId = OTHER): Message {
  return messageFixture({
    id,
    room_id: roomId,
    user_id: userId,
    username: userId === ME ? 'me' : 'other',
  });
}

export const ids = (messages: Message[]) => messages.map((item) => item.id);

/** ME's room store, listing `rooms`, started from what an earlier visit saved. */
export function storeWith(
  rooms: Room[],
  saved: Pick<UserMemory, 'lastRoomId' | 'rooms'> = { lastRoomId: null, rooms: {} },
): RoomStore {
  const store = new RoomStore(ME, saved);
  store.update(rooms);
  return store;
}

/** A clock that moves only when told to, running the timers that come due. */
export class ManualClock implements Clock {
  private time = Date.parse('2026-03-01T12:00:00.000Z');
  private nextTimer = 1;
  private readonly timers = new Map<Timer, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    const timer = this.nextTimer++;
    this.timers.set(timer, { at: this.time + ms, callback });
    return timer;
  }

  clearTimeout(timer: Timer | undefined): void {
    if (timer !== undefined) this.timers.delete(timer);
  }

  /** The delays of the timers set, from now. */
  delays(): number[] {
    return [...this.timers.values()].map((timer) => timer.at - this.time);
  }

  /** Moves time on by `ms`, running the timers that come due on the way, in time order. */
  advance(ms: number): void {
    const end = this.time + ms;
    let due = this.firstDue(end);
    while (due) {
      const [timer, { at, callback }] = due;
      this.timers.delete(timer);
      this.time = at;
      callback();
      due = this.firstDue(end);
    }
    this.time = end;
  }

  private firstDue(end: number) {
    return [...this.timers.entries()]
      .filter(([, timer]) => timer.at <= end)
      .sort(([, a], [, b]) => a.at - b.at)[0];
  }
}
