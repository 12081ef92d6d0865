import { describe, expect, it } from '@jest/globals';
import type { Message, Room } from '../../src/contract/objects';
import { CatchUp } from './catch-up';
import { RoomStore } from './room-store';
import type { Transport } from './transport';

const ME = 1;
const OTHER = 2;
const ROOM = 7;

function room(): Room {
  return {
    id: ROOM,
    name: 'general',
    description: '',
    is_private: false,
    created_by: OTHER,
    created_at: '2026-01-01T00:00:00.000Z',
    member_count: 2,
    is_member: true,
  };
}

function message(id: number): Message {
  return {
    type: 'chat_message',
    id,
    room_id: ROOM,
    user_id: OTHER,
    username: 'other',
    content: `message ${id}`,
    created_at: '2026-01-01T00:00:00.000Z',
    client_msg_id: null,
    reply_to: null,
    edited_at: null,
    deleted: false,
    reactions: [],
    change_id: id,
  };
}

/** The server's side of `sync`: the stored messages, and the cursors it was asked with. */
function server(stored: Message[]) {
  const asked: number[] = [];
  const transport = {
    messagesAfter: async (_roomId: number, after: number, limit: number) => {
      asked.push(after);
      return stored.filter((item) => item.id > after).slice(0, limit);
    },
  } as unknown as Transport;
  return { transport, asked };
}

function setUp(stored: Message[], seenUpTo: number) {
  const store = new RoomStore(ME, {
    lastRoomId: ROOM,
    rooms: { [ROOM]: { lastId: seenUpTo, unread: 0 } },
  });
  store.update([room()]);
  const { transport, asked } = server(stored);
  const received: number[] = [];
  const receive = (item: Message) => {
    received.push(item.id);
    store.record(item, false);
  };
  const catchUp = new CatchUp({
    userId: ME,
    store,
    transport,
    receive,
    announce: () => undefined,
    roomGone: () => undefined,
  });
  return { store, catchUp, asked, received, receive };
}

describe('CatchUp', () => {
  it('fetches what was sent while disconnected, even when a later message arrived live first', async () => {
    // 11 and 12 were sent while the connection was down; 13 right after it opened, so it
    // arrives live before the catch-up asks.
    const stored = [10, 11, 12, 13].map(message);
    const { catchUp, asked, received, receive } = setUp(stored, 10);

    const cursors = catchUp.cursors();
    receive(message(13));
    await catchUp.all(cursors);

    expect(asked).toEqual([10]);
    expect(received).toEqual([13, 11, 12, 13]);
  });

  it('pages on from the last message of each page', async () => {
    const stored = Array.from({ length: 450 }, (_, index) => message(index + 1));
    const { catchUp, asked, store } = setUp(stored, 0);
    store.get(ROOM)!.lastId = 1;

    await catchUp.all();

    expect(asked).toEqual([1, 201, 401]);
    expect(store.get(ROOM)!.lastId).toBe(450);
  });
});
