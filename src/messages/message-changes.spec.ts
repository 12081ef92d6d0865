import { NO_REACTIONS, type Message } from './message';
import type { RoomRole } from '../rooms/room';
import { decideChange, type ChangeTarget, type MessageChange } from './message-changes';

const AUTHOR = 10;
const OWNER = 11;
const OTHER = 12;
const NOW = new Date('2026-12-06T12:00:00.000Z');

const message = (fields: Partial<Message> = {}): Message => ({
  id: 5,
  roomId: 1,
  userId: AUTHOR,
  username: 'author',
  content: 'hello',
  createdAt: new Date('2026-12-06T10:00:00.000Z'),
  clientMsgId: null,
  replyTo: null,
  editedAt: null,
  deleted: false,
  reactions: NO_REACTIONS,
  changeId: 7,
  mentions: [],
  ...fields,
});

const target = (
  fields: Partial<Message> = {},
  isMember = true,
  isPrivate = false,
  role: RoomRole = 'member',
): ChangeTarget => ({
  room: { isPrivate, isMember, role: isMember ? role : null, kind: 'channel' },
  message: message(fields),
});

const edit = (userId = AUTHOR, content = 'hi'): MessageChange => ({
  kind: 'edit',
  roomId: 1,
  messageId: 5,
  userId,
  content,
  mentions: [],
});
const del = (userId: number, serverAdmin = false): MessageChange => ({
  kind: 'delete',
  roomId: 1,
  messageId: 5,
  userId,
  serverAdmin,
});

describe('decideChange', () => {
  it('answers a private room as missing to outsiders before anything about its messages', () => {
    expect(decideChange(edit(OTHER), { room: null, message: null }, NOW)).toEqual({
      kind: 'refused',
      refusal: 'room_not_found',
    });
    expect(decideChange(edit(), target({}, false, true), NOW)).toEqual({
      kind: 'refused',
      refusal: 'room_not_found',
    });
  });

  it('lets an author who left a public room edit and delete, but not react', () => {
    expect(decideChange(edit(), target({}, false), NOW).kind).toBe('changed');
    expect(decideChange(del(AUTHOR), target({}, false), NOW).kind).toBe('changed');
    expect(
      decideChange(
        { kind: 'react', roomId: 1, messageId: 5, userId: AUTHOR, emoji: '👍', on: true },
        target({}, false),
        NOW,
      ),
    ).toEqual({ kind: 'refused', refusal: 'not_a_member' });
  });

  it('answers an edit of a deleted message as missing, whoever asks', () => {
    expect(decideChange(edit(OTHER), target({ deleted: true, content: '' }), NOW)).toEqual({
      kind: 'refused',
      refusal: 'message_not_found',
    });
  });

  it('sets edited_at to the time of the edit, and keeps the reactions', () => {
    const reactions = [{ emoji: '👍', userIds: [OTHER] }];
    expect(decideChange(edit(), target({ reactions }), NOW)).toEqual({
      kind: 'changed',
      fields: { content: 'hi', editedAt: NOW, deleted: false, reactions, mentions: [] },
    });
  });

  it('checks who deletes before whether it was deleted: others are refused even a tombstone', () => {
    expect(decideChange(del(OTHER), target({ deleted: true }), NOW)).toEqual({
      kind: 'refused',
      refusal: 'forbidden',
    });
    expect(decideChange(del(OWNER), target({ deleted: true }, true, false, 'owner'), NOW)).toEqual({
      kind: 'unchanged',
    });
  });

  it.each<[string, RoomRole | null, boolean, 'changed' | 'refused']>([
    ['the owner', 'owner', false, 'changed'],
    ['an admin', 'admin', false, 'changed'],
    ['a member', 'member', false, 'refused'],
    ['a server admin who is a member', 'member', true, 'changed'],
    ['a server admin outside the room', null, true, 'changed'],
  ])("lets moderators delete others' messages: %s", (_, role, serverAdmin, outcome) => {
    expect(
      decideChange(del(OTHER, serverAdmin), target({}, role !== null, false, role ?? 'member'), NOW)
        .kind,
    ).toBe(outcome);
  });

  it('lets a server admin delete in a private room they are not in, and nobody else', () => {
    expect(decideChange(del(OTHER, true), target({}, false, true), NOW).kind).toBe('changed');
    expect(decideChange(del(OTHER), target({}, false, true), NOW)).toEqual({
      kind: 'refused',
      refusal: 'room_not_found',
    });
  });
});
