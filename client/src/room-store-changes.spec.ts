import { describe, expect, it } from '@jest/globals';
import type { Message } from '../../src/contract/objects';
import { ids, ME, roomFixture as room, roomMessage as message, storeWith } from './spec-fixtures';

describe('RoomStore: changes to messages', () => {
  const changed = (base: Message, fields: Partial<Message>): Message => ({ ...base, ...fields });

  function loaded(...messageIds: number[]) {
    const store = storeWith([room(1, 'a')]);
    const state = store.get(1)!;
    store.addLatest(
      state,
      messageIds.map((id) => message(id, 1)),
      50,
    );
    return { store, state };
  }

  it('replaces a message by id with its later state, keeping the order by id', () => {
    const { store, state } = loaded(10, 11, 12);
    const edited = changed(message(11, 1), {
      content: 'better',
      edited_at: '2026-01-01T00:01:00.000Z',
      change_id: 20,
    });
    expect(store.record(edited, false)).toMatchObject({ isNew: false, shown: true });
    expect(ids(state.messages)).toEqual([10, 11, 12]);
    expect(state.messages[1]).toBe(edited);
    expect(state).toMatchObject({ lastId: 12, changeId: 20, unread: 0 });
  });

  it('keeps the latest state when an older one arrives after it', () => {
    const { store, state } = loaded(10);
    const reacted = changed(message(10, 1), {
      reactions: [{ emoji: '👍', count: 1, user_ids: [ME] }],
      change_id: 31,
    });
    store.record(reacted, false);
    const earlierEdit = changed(message(10, 1), { content: 'edited', change_id: 30 });
    expect(store.record(earlierEdit, false)?.shown).toBe(false);
    expect(state.messages[0]).toBe(reacted);
    expect(state.changeId).toBe(31);
  });

  it('takes a tombstone made here over the same state, and the server’s later one over it', () => {
    const { store, state } = loaded(10);
    const local = changed(message(10, 1), { deleted: true, content: '' });
    expect(store.record(local, false, 'ack')?.shown).toBe(true);
    expect(state.messages[0].deleted).toBe(true);
    const fromServer = changed(local, { change_id: 40 });
    store.record(fromServer, false);
    expect(state.messages[0]).toBe(fromServer);
    // The same state again, not deleted, does not bring the message back.
    expect(store.record(message(10, 1), false)?.shown).toBe(false);
  });

  it('moves the change cursor with live events and sync pages, not with answers', () => {
    const { store, state } = loaded(10);
    expect(state.changeId).toBe(10);
    store.record(changed(message(10, 1), { content: 'x', change_id: 50 }), false, 'ack');
    expect(state.changeId).toBe(10);
    store.record(changed(message(10, 1), { content: 'y', change_id: 51 }), false, 'sync');
    expect(state.changeId).toBe(51);
    store.record(changed(message(11, 1), { change_id: 52 }), false, 'live');
    expect(state.changeId).toBe(52);
  });

  it('leaves out changes of messages older than the loaded history until their page loads', () => {
    const { store, state } = loaded(10, 11);
    state.hasOlder = true;
    const old = changed(message(3, 1), { content: 'edited long ago', change_id: 60 });
    expect(store.record(old, false)).toMatchObject({ isNew: false, shown: false });
    expect(ids(state.messages)).toEqual([10, 11]);
    // An older page does not move the cursor: it may be loaded while changes are being missed.
    store.addOlder(state, [old], 50);
    expect(ids(state.messages)).toEqual([3, 10, 11]);
    expect(state.changeId).toBe(60);
    const fresh = storeWith([room(2, 'b')]);
    const other = fresh.get(2)!;
    fresh.addLatest(other, [message(20, 2)], 50);
    fresh.addOlder(other, [changed(message(5, 2), { change_id: 90 })], 50);
    expect(other.changeId).toBe(20);
  });

  it('does not count a deleted message as unread, nor an edit of a seen one', () => {
    const store = storeWith([room(1, 'a'), room(2, 'b')]);
    store.open(2);
    store.record(message(5, 1), false);
    store.record(changed(message(5, 1), { content: 'edited', change_id: 9 }), false);
    store.record(changed(message(6, 1), { deleted: true, content: '' }), false);
    expect(store.get(1)).toMatchObject({ unread: 1, lastId: 6, changeId: 9 });
  });

  it('follows the reply being written, and drops it when its message is deleted', () => {
    const { store, state } = loaded(10);
    state.replyingTo = state.messages[0];
    const edited = changed(message(10, 1), { content: 'edited', change_id: 11 });
    store.record(edited, false);
    expect(state.replyingTo).toBe(edited);
    store.record(changed(edited, { deleted: true, content: '', change_id: 12 }), false);
    expect(state.replyingTo).toBeNull();
  });

  it('edits one message at a time, and stops when it is deleted', () => {
    const { store } = loaded(10, 11);
    store.open(1);
    expect(store.startEditing(1, 11)?.id).toBe(11);
    expect(store.editingHere()).toBe(11);
    expect(store.startEditing(1, 99)).toBeUndefined();
    expect(store.editing).toBeNull();
    store.startEditing(1, 10);
    store.record(changed(message(11, 1), { deleted: true, change_id: 30 }), false);
    expect(store.editingHere()).toBe(10);
    store.record(changed(message(10, 1), { deleted: true, change_id: 31 }), false);
    expect(store.editing).toBeNull();
    expect(store.startEditing(1, 10)).toBeUndefined();
  });

  it('remembers the change cursor between visits, and starts from it', () => {
    const store = storeWith([room(1, 'a')], {
      lastRoomId: null,
      rooms: { 1: { lastId: 8, unread: 0, changeId: 70 } },
    });
    expect(store.get(1)).toMatchObject({ lastId: 8, changeId: 70 });
    const older = storeWith([room(1, 'a')], {
      lastRoomId: null,
      rooms: { 1: { lastId: 8, unread: 0 } },
    });
    expect(older.get(1)!.changeId).toBe(0);
  });
});
