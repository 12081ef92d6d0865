import { describe, expect, it } from '@jest/globals';
import type { Message, Room } from '../../src/contract/objects';
import { CatchUp } from './catch-up';
import { RoomStore } from './room-store';
import type { Transport } from './transport';
import { messageFixture, roomFixture } from './spec-fixtures';

const ME = 1;
const OTHER = 2;
const ROOM = 7;

function room(): Room {
  return roomFixture(ROOM, 'general', { created_by: OTHER });
}

function message(id: number, fields: Partial<Message> = {}): Message {
  return messageFixture({ id, room_id: ROOM, user_id: OTHER, username: 'other', ...fields });
}

/**
 * The server's side of `sync`: the stored messages (the latest state of each), and the cursors it
 * was asked with: `after_id` as a number, `changed_after` as `c` and a number.
 */
function server(stored: Message[]) {
  const asked: (number | string)[] = [];
  const transport = {
    messagesAfter: async (_roomId: number, after: number, limit: number) => {
      asked.push(after);
      return stored.filter((item) => item.id > after).slice(0, limit);
    },
    changesAfter: async (_roomId: number, after: number, limit: number) => {
      asked.push(`c${after}`);
      return stored
        .filter((item) => item.change_id > after)
        .sort((a, b) => a.change_id - b.change_id)
        .slice(0, limit);
    },
  } as unknown as Transport;
  return { transport, asked };
}

function setUp(stored: Message[], seenUpTo: number, changeId?: number) {
  const store = new RoomStore(ME, {
    lastRoomId: ROOM,
    rooms: { [ROOM]: { lastId: seenUpTo, unread: 0, changeId } },
  });
  store.update([room()]);
  const { transport, asked } = server(stored);
  const received: number[] = [];
  const receive = (item: Message) => {
    received.push(item.id);
    store.record(item, false, 'sync');
  };
  const announced: string[] = [];
  const catchUp = new CatchUp({
    userId: ME,
    store,
    transport,
    receive,
    announce: (text) => announced.push(text),
    roomGone: () => undefined,
  });
  return { store, catchUp, asked, received, receive, announced };
}

describe('CatchUp', () => {
  it('fetches what was sent while disconnected, even when a later message arrived live first', async () => {
    // 11 and 12 were sent while the connection was down; 13 right after it opened, so it
    // arrives live before the catch-up asks.
    const stored = [10, 11, 12, 13].map((id) => message(id));
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

  describe('by change', () => {
    /** Room 7 as loaded: messages 1..3, each as sent (change_id 1..3). */
    function loaded(stored: Message[]) {
      const setup = setUp(stored, 0);
      const state = setup.store.get(ROOM)!;
      setup.store.addLatest(
        state,
        [1, 2, 3].map((id) => message(id)),
        50,
      );
      return { ...setup, state };
    }

    it('asks for the changes after the highest change_id followed, and shows each', async () => {
      // While disconnected: 2 edited (4), 3 reacted to (5), 4 sent (6), 1 deleted (7).
      const stored = [
        message(1, { deleted: true, content: '', change_id: 7 }),
        message(2, { content: 'edited', edited_at: '2026-01-01T00:05:00.000Z', change_id: 4 }),
        message(3, { reactions: [{ emoji: '🎉', count: 1, user_ids: [OTHER] }], change_id: 5 }),
        message(4, { change_id: 6 }),
      ];
      const { catchUp, asked, received, state, announced } = loaded(stored);

      await catchUp.all();

      expect(asked).toEqual(['c3']);
      expect(received).toEqual([2, 3, 4, 1]);
      expect(state.messages.map((item) => [item.id, item.content, item.reactions.length])).toEqual([
        [1, '', 0],
        [2, 'edited', 0],
        [3, 'message 3', 1],
        [4, 'message 4', 0],
      ]);
      expect(state.messages[0].deleted).toBe(true);
      expect(state).toMatchObject({ lastId: 4, changeId: 7 });
      // Only the new message is news.
      expect(announced).toEqual(['1 new message in general']);
    });

    it('starts from where the room stood when the connection opened', async () => {
      const stored = [
        message(2, { content: 'edited', change_id: 4 }),
        message(3, { content: 'edited after the reconnect', change_id: 5 }),
      ];
      const { catchUp, asked, receive, received, state } = loaded(stored);

      const cursors = catchUp.cursors();
      receive(stored[1]);
      await catchUp.all(cursors);

      expect(asked).toEqual(['c3']);
      expect(received).toEqual([3, 2, 3]);
      expect(state.messages.map((item) => item.content)).toEqual([
        'message 1',
        'edited',
        'edited after the reconnect',
      ]);
    });

    it('pages on from the last change of each full page', async () => {
      const stored = Array.from({ length: 450 }, (_, index) =>
        message(index + 1, { change_id: 1000 + index }),
      );
      const { catchUp, asked, store } = setUp(stored, 1, 999);

      await catchUp.all();

      expect(asked).toEqual(['c999', 'c1199', 'c1399']);
      expect(store.get(ROOM)).toMatchObject({ lastId: 450, changeId: 1449 });
    });

    it('uses the change cursor saved by an earlier visit, and message ids without one', async () => {
      const stored = [message(5, { change_id: 9 }), message(6, { change_id: 10 })];
      const remembered = setUp(stored, 5, 9);
      await remembered.catchUp.all();
      expect(remembered.asked).toEqual(['c9']);
      expect(remembered.received).toEqual([6]);

      const older = setUp(stored, 5);
      await older.catchUp.all();
      expect(older.asked).toEqual([5]);
      // From then on it follows changes.
      expect(older.store.get(ROOM)!.changeId).toBe(10);
    });
  });
});
