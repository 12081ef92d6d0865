import { describe, expect, it } from '@jest/globals';
import {
  ids,
  ME,
  messageFixture,
  OTHER,
  roomFixture as room,
  roomMessage as message,
  storeWith,
} from './spec-fixtures';

const mention = (id: number, roomId: number) =>
  messageFixture({ id, room_id: roomId, user_id: OTHER, username: 'other', mentions: [ME] });

describe('RoomStore: direct rooms and read state', () => {
  it('lists direct rooms apart from channels, and opens a direct room when there is no channel', () => {
    const store = storeWith([
      room(1, 'zed', { kind: 'direct', is_private: true }),
      room(2, 'ada', { kind: 'direct', is_private: true }),
      room(3, 'general'),
    ]);
    expect(store.joined().map((state) => state.room.name)).toEqual(['general']);
    expect(store.directs().map((state) => state.room.name)).toEqual(['ada', 'zed']);
    store.remove(3);
    expect(store.firstRoom()).toBe(2);
  });

  it("takes the server's counts, unless this client has read further", () => {
    const store = storeWith([
      room(1, 'a', { last_read_id: 10, unread_count: 4, mention_count: 1 }),
    ]);
    const state = store.get(1)!;
    expect(state).toMatchObject({ lastReadId: 10, unread: 4, mentions: 1 });
    store.markRead(state, 20);
    store.update([room(1, 'a', { last_read_id: 10, unread_count: 4, mention_count: 1 })]);
    expect(state).toMatchObject({ lastReadId: 20, unread: 0, mentions: 0 });
    store.update([room(1, 'a', { last_read_id: 20, unread_count: 2, mention_count: 0 })]);
    expect(state).toMatchObject({ lastReadId: 20, unread: 2 });
    expect(store.unreadTotal()).toBe(2);
  });

  it('counts live messages of rooms not on screen, and mentions of the viewer apart', () => {
    const store = storeWith([room(1, 'a'), room(2, 'b')]);
    store.open(1);
    store.record(message(5, 2), false);
    store.record(mention(6, 2), false);
    store.record(mention(7, 1), false);
    // Caught up on after a reconnect: the room list counts those.
    store.record(message(8, 2), false, 'sync');
    store.record(message(9, 2, ME), false);
    expect(store.get(2)).toMatchObject({ unread: 2, mentions: 1 });
    expect(store.get(1)).toMatchObject({ unread: 0, mentions: 0 });
    store.record(mention(10, 1), true);
    expect(store.get(1)).toMatchObject({ unread: 1, mentions: 1 });
  });

  it('does not count messages up to the read position, nor in rooms not joined', () => {
    const store = storeWith([
      room(1, 'a', { last_read_id: 10 }),
      room(2, 'b', { is_member: false }),
    ]);
    store.record(message(9, 1), false);
    store.record(message(11, 2), false);
    expect([store.get(1)!.unread, store.get(2)!.unread]).toEqual([0, 0]);
  });

  it('applies read events from other tabs, never moving back', () => {
    const store = storeWith([
      room(1, 'a', { last_read_id: 10, unread_count: 5, mention_count: 2 }),
    ]);
    store.applyRead({ room_id: 1, last_read_id: 15, unread_count: 1, mention_count: 0 });
    expect(store.get(1)).toMatchObject({ lastReadId: 15, unread: 1, mentions: 0 });
    store.applyRead({ room_id: 1, last_read_id: 12, unread_count: 3, mention_count: 1 });
    expect(store.get(1)).toMatchObject({ lastReadId: 15, unread: 1, mentions: 0 });
    expect(
      store.applyRead({ room_id: 9, last_read_id: 1, unread_count: 0, mention_count: 0 }),
    ).toBe(undefined);
  });

  it('places the "New messages" divider after the read position as it was on entering', () => {
    const store = storeWith([
      room(1, 'a', { last_read_id: 10, unread_count: 3 }),
      room(2, 'b', { last_read_id: 4, unread_count: 0 }),
    ]);
    const state = store.open(1)!;
    expect(state).toMatchObject({ dividerAfter: 10, unread: 0 });
    store.markRead(state, 13);
    // Opened again while on screen (a click on it): the divider stays.
    store.open(1);
    expect(state.dividerAfter).toBe(10);
    expect(store.open(2)!.dividerAfter).toBeNull();
    // Opened while the page is hidden: the counts stay until it is seen.
    store.get(1)!.unread = 2;
    expect(store.open(1, true)).toMatchObject({ dividerAfter: 13, unread: 2 });
  });

  it('adds a room it is told about (room_added) as joined, once', () => {
    const store = storeWith([room(1, 'general')]);
    const dm = room(7, 'ada', { kind: 'direct', is_private: true, is_member: false });
    const state = store.add(dm);
    expect(state).toMatchObject({ joined: true, loaded: false });
    expect(store.add({ ...dm, unread_count: 2, last_read_id: 3 })).toBe(state);
    expect(state.unread).toBe(2);
    expect(store.directs().map((item) => item.room.id)).toEqual([7]);
  });

  describe('opening at a message', () => {
    it('replaces a history the page does not join, then fills in the newer pages', () => {
      const store = storeWith([room(1, 'a')]);
      const state = store.get(1)!;
      store.addLatest(state, [message(90, 1), message(91, 1)], 2);
      const more = store.addAround(state, [message(40, 1), message(41, 1), message(42, 1)]);
      expect(more).toBe(true);
      expect(ids(state.messages)).toEqual([40, 41, 42]);
      expect(state).toMatchObject({ loaded: true, hasOlder: true, lastId: 91 });
      store.addNewer(state, [message(43, 1), message(91, 1)]);
      expect(ids(state.messages)).toEqual([40, 41, 42, 43, 91]);
      expect(store.newestShown(state)).toBe(91);
    });

    it('joins a page that reaches the loaded history, keeping it', () => {
      const store = storeWith([room(1, 'a')]);
      const state = store.get(1)!;
      store.addLatest(state, [message(50, 1), message(51, 1)], 2);
      expect(store.addAround(state, [message(48, 1), message(49, 1), message(50, 1)])).toBe(false);
      expect(ids(state.messages)).toEqual([48, 49, 50, 51]);
      expect(state.hasOlder).toBe(true);
    });

    it('loads a room not loaded yet from the page', () => {
      const store = storeWith([room(1, 'a')]);
      const state = store.get(1)!;
      expect(store.newestShown(state)).toBe(0);
      expect(store.addAround(state, [message(5, 1)])).toBe(true);
      expect(ids(state.messages)).toEqual([5]);
    });
  });
});
