import type { Message, Room } from '../../src/contract/objects';
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
