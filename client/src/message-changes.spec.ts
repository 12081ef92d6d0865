import { describe, expect, it } from '@jest/globals';
import type { Message, Reaction, Room } from '../../src/contract/objects';
import {
  canDelete,
  canEdit,
  isNewer,
  lastEditable,
  reactedByMe,
  reactorNames,
  tombstone,
} from './message-changes';
import { messageFixture, roomFixture } from './spec-fixtures';

const ME = 1;
const ADA = 2;
const BOB = 3;

function message(id: number, userId = ADA, fields: Partial<Message> = {}): Message {
  return messageFixture({
    id,
    room_id: 7,
    user_id: userId,
    username: userId === ME ? 'me' : 'ada',
    ...fields,
  });
}

function room(role: Room['role']): Room {
  return roomFixture(7, 'general', { role, member_count: 3 });
}

const reaction = (userIds: number[], count = userIds.length): Reaction => ({
  emoji: '👍',
  count,
  user_ids: userIds,
});

describe('message changes', () => {
  it('lets only the author edit, and nobody once deleted', () => {
    expect(canEdit(message(1, ME), ME)).toBe(true);
    expect(canEdit(message(1, ADA), ME)).toBe(false);
    expect(canEdit(message(1, ME, { deleted: true }), ME)).toBe(false);
  });

  it('lets the author and the moderators delete: room owner and admins, server admins', () => {
    const me = { id: ME, role: 'user' } as const;
    expect(canDelete(message(1, ME), me, room('member'))).toBe(true);
    expect(canDelete(message(1, ADA), me, room('owner'))).toBe(true);
    expect(canDelete(message(1, ADA), me, room('admin'))).toBe(true);
    expect(canDelete(message(1, ADA), me, room('member'))).toBe(false);
    expect(canDelete(message(1, ADA), me, room(null))).toBe(false);
    expect(canDelete(message(1, ADA), { id: ME, role: 'admin' as const }, room('member'))).toBe(
      true,
    );
    expect(canDelete(message(1, ME, { deleted: true }), me, room('owner'))).toBe(false);
  });

  it('finds the newest message the user can still edit', () => {
    const list = [message(1, ME), message(2, ME), message(3, ME, { deleted: true }), message(4)];
    expect(lastEditable(list, ME)?.id).toBe(2);
    expect(lastEditable([message(4)], ME)).toBeUndefined();
    expect(lastEditable([], ME)).toBeUndefined();
  });

  it('orders the states of a message by change_id, a deletion after the state it deletes', () => {
    expect(isNewer(message(1, ME, { change_id: 5 }), message(1, ME, { change_id: 4 }))).toBe(true);
    expect(isNewer(message(1, ME, { change_id: 4 }), message(1, ME, { change_id: 5 }))).toBe(false);
    expect(isNewer(message(1), message(1))).toBe(false);
    expect(isNewer(tombstone(message(1)), message(1))).toBe(true);
    expect(isNewer(message(1), tombstone(message(1)))).toBe(false);
  });

  it('makes a tombstone as the server does: same id and place, nothing said, no reactions', () => {
    const shown = message(9, ME, { reactions: [reaction([ADA])], reply_to: 3 });
    expect(tombstone(shown)).toEqual({ ...shown, content: '', reactions: [], deleted: true });
  });

  it('tells whether the user reacted', () => {
    expect(reactedByMe(reaction([ADA, ME]), ME)).toBe(true);
    expect(reactedByMe(reaction([ADA]), ME)).toBe(false);
  });

  it('names who reacted, the user first, counting those it cannot name', () => {
    const names = new Map([
      [ADA, 'ada'],
      [BOB, 'bob'],
    ]);
    expect(reactorNames(reaction([ADA]), ME, names)).toBe('ada');
    expect(reactorNames(reaction([ADA, ME]), ME, names)).toBe('You and ada');
    expect(reactorNames(reaction([BOB, ADA, ME]), ME, names)).toBe('You, bob and ada');
    expect(reactorNames(reaction([ADA, 99]), ME, names)).toBe('ada and 1 other');
    expect(reactorNames(reaction([ADA, 98, 99]), ME, names)).toBe('ada and 2 others');
    expect(reactorNames(reaction([99]), ME, names)).toBe('1 person');
    expect(reactorNames(reaction([98, 99]), ME, names)).toBe('2 people');
    // More reactions than the ids listed (a server that shortens the list).
    expect(reactorNames(reaction([ADA], 3), ME, names)).toBe('ada and 2 others');
  });
});
