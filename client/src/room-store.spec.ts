import { describe, expect, it } from '@jest/globals';
import { RoomStore } from './room-store';
import { ids, ME, roomFixture as room, roomMessage as message, storeWith } from './spec-fixtures';

const names = (store: RoomStore, which: 'joined' | 'others') =>
  store[which]().map((state) => state.room.name);

describe('RoomStore', () => {
  describe('the room list', () => {
    it('splits the listed rooms into joined and others, each by name', () => {
      const store = storeWith([
        room(1, 'zebra'),
        room(2, 'apple'),
        room(3, 'mango', { is_member: false }),
        room(4, 'banana', { is_member: false }),
      ]);
      expect(store.listed).toBe(true);
      expect(names(store, 'joined')).toEqual(['apple', 'zebra']);
      expect(names(store, 'others')).toEqual(['banana', 'mango']);
    });

    it('starts new rooms from what an earlier visit saved, and opens the room opened last', () => {
      const store = storeWith(
        [room(1, 'a'), room(2, 'b', { last_read_id: 37, unread_count: 3, mention_count: 1 })],
        { lastRoomId: 2, rooms: { 2: { lastId: 40, unread: 9 } } },
      );
      // The read state is the server's; what an older version counted is not used.
      expect(store.get(2)).toMatchObject({ lastId: 40, unread: 3, mentions: 1, lastReadId: 37 });
      expect(store.get(1)).toMatchObject({ lastId: 0, unread: 0 });
      expect(store.firstRoom()).toBe(2);
      expect(store.unreadTotal()).toBe(3);
    });

    it('opens the first joined room when the one opened last was left', () => {
      const store = storeWith([room(1, 'b'), room(2, 'a'), room(3, 'c', { is_member: false })], {
        lastRoomId: 3,
        rooms: {},
      });
      expect(store.firstRoom()).toBe(2);
      expect(storeWith([room(3, 'c', { is_member: false })]).firstRoom()).toBeNull();
    });

    it('updates known rooms in place, keeping their history, and drops unlisted ones', () => {
      const store = storeWith([room(1, 'a'), room(2, 'b')]);
      const state = store.get(1)!;
      store.addLatest(state, [message(5, 1)], 50);
      store.update([room(1, 'renamed', { is_member: false, member_count: 7 })]);
      expect(store.get(1)).toBe(state);
      expect(state.room).toMatchObject({ name: 'renamed', member_count: 7 });
      expect(state.joined).toBe(false);
      expect(ids(state.messages)).toEqual([5]);
      expect(store.get(2)).toBeUndefined();
    });

    it('adds a created room as joined, with no history to load', () => {
      const store = storeWith([]);
      store.addCreated(room(9, 'new', { created_by: ME }));
      expect(store.get(9)).toMatchObject({ joined: true, loaded: true, hasOlder: false });
      expect(names(store, 'joined')).toEqual(['new']);
    });
  });

  describe('messages', () => {
    it('keeps a loaded history in id order, each message once', () => {
      const store = storeWith([room(1, 'a')]);
      const state = store.get(1)!;
      store.addLatest(state, [message(10, 1), message(12, 1)], 50);
      store.record(message(11, 1), false);
      store.record(message(12, 1), false);
      store.record(message(14, 1), false);
      store.addOlder(state, [message(3, 1), message(10, 1)], 50);
      expect(ids(state.messages)).toEqual([3, 10, 11, 12, 14]);
      expect(state.lastId).toBe(14);
    });

    it('tells whether there are older pages from the size of the last one', () => {
      const store = storeWith([room(1, 'a')]);
      const state = store.get(1)!;
      store.addLatest(state, [message(3, 1), message(4, 1)], 2);
      expect(state).toMatchObject({ loaded: true, hasOlder: true });
      store.addOlder(state, [message(1, 1)], 2);
      expect(state.hasOlder).toBe(false);
    });

    it('records messages of rooms not loaded yet only as seen and unread', () => {
      const store = storeWith([room(1, 'a')]);
      const recorded = store.record(message(7, 1), false);
      expect(recorded).toEqual({ state: store.get(1), isNew: true, shown: false });
      expect(store.get(1)).toMatchObject({ messages: [], lastId: 7, unread: 1 });
      expect(store.record(message(6, 1), false)?.isNew).toBe(false);
      expect(store.get(1)!.unread).toBe(1);
    });

    it('ignores messages of rooms it does not list', () => {
      const store = storeWith([room(1, 'a')]);
      expect(store.record(message(7, 99), false)).toBeUndefined();
    });

    it('counts as unread what others send to rooms not on screen, or while the page is hidden', () => {
      const store = storeWith([room(1, 'open'), room(2, 'elsewhere')]);
      store.open(1);
      store.record(message(1, 1), false);
      store.record(message(2, 2), false);
      store.record(message(3, 1, ME), true);
      store.record(message(4, 2, ME), false);
      expect([store.get(1)!.unread, store.get(2)!.unread]).toEqual([0, 1]);
      store.record(message(5, 1), true);
      expect(store.get(1)!.unread).toBe(1);
      expect(store.unreadTotal()).toBe(2);
    });

    it('reads a room by opening it', () => {
      const store = storeWith([room(1, 'a'), room(2, 'b')]);
      store.record(message(1, 2), false);
      expect(store.open(2)).toBe(store.get(2));
      expect(store.current).toBe(2);
      expect(store.currentState()?.unread).toBe(0);
      expect(store.open(99)).toBeUndefined();
      expect(store.current).toBe(2);
    });
  });

  describe('finding a message', () => {
    it('finds a loaded message of a room by id, and nothing outside the loaded history', () => {
      const store = storeWith([room(1, 'a'), room(2, 'b')]);
      const state = store.get(1)!;
      store.addLatest(state, [message(10, 1), message(12, 1), message(15, 1)], 50);
      store.addOlder(state, [message(3, 1)], 50);
      expect(store.find(1, 12)?.id).toBe(12);
      expect(store.find(1, 3)?.id).toBe(3);
      expect(store.find(1, 11)).toBeUndefined();
      expect(store.find(1, 99)).toBeUndefined();
      expect(store.find(2, 12)).toBeUndefined();
      expect(store.find(7, 12)).toBeUndefined();
    });

    it('starts with no reply chosen in any room', () => {
      const store = storeWith([room(1, 'a')]);
      expect(store.get(1)?.replyingTo).toBeNull();
    });
  });

  describe('leaving', () => {
    it('keeps a public room listed, not joined and read', () => {
      const store = storeWith([room(1, 'a')]);
      store.record(message(1, 1), false);
      store.open(1);
      store.left(store.get(1)!);
      expect(store.get(1)).toMatchObject({ joined: false, unread: 0 });
      expect(store.current).toBe(1);
    });

    it('drops a private room, from the list and from the screen', () => {
      const store = storeWith([room(1, 'secret', { is_private: true })]);
      store.open(1);
      store.left(store.get(1)!);
      expect(store.get(1)).toBeUndefined();
      expect(store.currentState()).toBeNull();
    });
  });

  describe('memory', () => {
    it('saves the room opened last and how far the user got in the rooms they are in', () => {
      const store = storeWith([room(1, 'a'), room(2, 'b'), room(3, 'c', { is_member: false })]);
      store.record(message(5, 1), false);
      store.record(message(6, 3), false);
      store.open(2);
      expect(store.memory()).toEqual({
        lastRoomId: 2,
        rooms: { 1: { lastId: 5, changeId: 5 } },
      });
    });

    it('starts a room listed again from what was saved last, not from the visit before', () => {
      const store = storeWith([room(1, 'a')], {
        lastRoomId: null,
        rooms: { 1: { lastId: 40, unread: 2 } },
      });
      store.update([]);
      store.memory();
      store.update([room(1, 'a')]);
      expect(store.get(1)).toMatchObject({ lastId: 0, unread: 0 });
    });
  });

  describe('room updates', () => {
    it("takes a renamed room's name and description, and keeps the viewer's own fields", () => {
      const store = storeWith([
        room(1, 'old', { role: 'admin', unread_count: 2, last_read_id: 4 }),
      ]);
      const state = store.applyRoomUpdate(
        room(1, 'new', { description: 'Plans', role: null, is_member: false, unread_count: null }),
      );
      expect(state?.room).toMatchObject({
        name: 'new',
        description: 'Plans',
        role: 'admin',
        is_member: true,
        unread_count: 2,
      });
      expect(state?.unread).toBe(2);
      expect(store.joined().map((known) => known.room.name)).toEqual(['new']);
    });

    it("takes the viewer's role when the event tells it", () => {
      const store = storeWith([room(1, 'old', { role: 'member' })]);
      expect(store.applyRoomUpdate(room(1, 'old', { role: 'admin' }))?.room.role).toBe('admin');
    });

    it('ignores rooms it does not list', () => {
      expect(storeWith([]).applyRoomUpdate(room(5, 'x'))).toBeUndefined();
    });
  });
});
