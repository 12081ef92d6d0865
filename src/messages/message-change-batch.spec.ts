import { NO_REACTIONS, type Message, type Reaction } from './message';
import { ChangeBatch, type BatchState } from './message-change-batch';
import type { MessageChange } from './message-changes';

const ROOM = 1;
const AUTHOR = 10;
const NOW = new Date('2026-12-06T12:00:00.000Z');

const stored = (id: number, reactions: Reaction[] = [], changeId = id): Message => ({
  id,
  roomId: ROOM,
  userId: AUTHOR,
  username: 'author',
  content: `message ${id}`,
  createdAt: new Date('2026-12-06T10:00:00.000Z'),
  clientMsgId: null,
  replyTo: null,
  editedAt: null,
  deleted: false,
  reactions: reactions.length ? reactions : NO_REACTIONS,
  changeId,
  mentions: [],
});

/** The store as a batch reads it: one public room everybody is a member of. */
const state = (
  messages: Message[],
  places: [id: number, positions: [string, number][], lastSeq: number][] = [],
): BatchState => ({
  room: (roomId) =>
    roomId === ROOM ? { isPrivate: false, isMember: true, role: 'member', kind: 'channel' } : null,
  messages: new Map(messages.map((message) => [message.id, message])),
  places: new Map(
    places.map(([id, positions, lastSeq]) => [id, { positions: new Map(positions), lastSeq }]),
  ),
});

const react = (messageId: number, userId: number, emoji: string, on = true): MessageChange => ({
  kind: 'react',
  roomId: ROOM,
  messageId,
  userId,
  emoji,
  on,
});

function run(batchState: BatchState, changes: MessageChange[]): ChangeBatch {
  const batch = new ChangeBatch(batchState, NOW);
  batch.apply(changes);
  return batch;
}

describe('ChangeBatch', () => {
  it('inserts new reactions after the stored ones, a new emoji after every stored place', () => {
    const message = stored(1, [{ emoji: '👍', userIds: [20] }]);
    const batch = run(state([message], [[1, [['👍', 3]], 7]]), [
      react(1, 21, '🎉'),
      react(1, 22, '👍'),
    ]);

    expect(batch.writes()).toEqual({
      reactionDeletes: [],
      reactionUpserts: [
        { messageId: 1, userId: 22, emoji: '👍', position: 3, seq: 8 },
        { messageId: 1, userId: 21, emoji: '🎉', position: 4, seq: 9 },
      ],
      updates: [
        {
          ...message,
          reactions: [
            { emoji: '👍', userIds: [20, 22] },
            { emoji: '🎉', userIds: [21] },
          ],
        },
      ],
    });
  });

  it('writes a reaction taken back and given again anew, with a seq that puts it last', () => {
    const message = stored(1, [{ emoji: '👍', userIds: [20, 21] }]);
    const batch = run(state([message], [[1, [['👍', 1]], 2]]), [
      react(1, 20, '👍', false),
      react(1, 20, '👍'),
    ]);

    const writes = batch.writes();
    expect(writes.reactionDeletes).toEqual([]);
    expect(writes.reactionUpserts).toEqual([
      { messageId: 1, userId: 20, emoji: '👍', position: 1, seq: 3 },
    ]);
    expect(writes.updates[0].reactions).toEqual([{ emoji: '👍', userIds: [21, 20] }]);
  });

  it('gives an emoji emptied and used again in the batch a new, last place', () => {
    const message = stored(1, [
      { emoji: '👍', userIds: [20] },
      { emoji: '🎉', userIds: [21] },
    ]);
    const places: [string, number][] = [
      ['👍', 1],
      ['🎉', 2],
    ];
    const batch = run(state([message], [[1, places, 2]]), [
      react(1, 20, '👍', false),
      react(1, 22, '👍'),
    ]);

    const writes = batch.writes();
    expect(writes.reactionDeletes).toEqual([{ messageId: 1, userId: 20, emoji: '👍' }]);
    expect(writes.reactionUpserts).toEqual([
      { messageId: 1, userId: 22, emoji: '👍', position: 3, seq: 3 },
    ]);
    expect(writes.updates[0].reactions).toEqual([
      { emoji: '🎉', userIds: [21] },
      { emoji: '👍', userIds: [22] },
    ]);
  });

  it('deletes every stored reaction of a message deleted in the batch, and inserts none', () => {
    const message = stored(1, [{ emoji: '👍', userIds: [20] }]);
    const batch = run(state([message], [[1, [['👍', 1]], 1]]), [
      react(1, 21, '🎉'),
      { kind: 'delete', roomId: ROOM, messageId: 1, userId: AUTHOR },
      react(1, 22, '🚀'),
    ]);

    const writes = batch.writes();
    expect(writes.reactionDeletes).toEqual([{ messageId: 1, userId: 20, emoji: '👍' }]);
    expect(writes.reactionUpserts).toEqual([]);
    expect(writes.updates).toEqual([
      { ...message, content: '', deleted: true, reactions: [], mentions: [] },
    ]);
  });

  it('answers every change with the message as the whole batch leaves it, and refusals as such', () => {
    const message = stored(1);
    const batch = run(state([message]), [
      { kind: 'edit', roomId: ROOM, messageId: 1, userId: AUTHOR, content: 'fixed', mentions: [] },
      react(1, 20, '👍'),
      react(1, 20, '👍'),
      react(2, 20, '👍'),
      react(1, 20, '👍', true),
    ]);
    const final = { ...batch.writes().updates[0], changeId: 99 };

    expect(final).toMatchObject({ content: 'fixed', editedAt: NOW });
    expect(batch.results(new Map([[1, 99]]))).toEqual([
      { kind: 'changed', message: final },
      { kind: 'changed', message: final },
      { kind: 'unchanged', message: final },
      { kind: 'refused', refusal: 'message_not_found' },
      { kind: 'unchanged', message: final },
    ]);
  });

  it('writes nothing and answers the stored message when nothing changed', () => {
    const message = stored(1, [{ emoji: '👍', userIds: [20] }]);
    const batch = run(state([message], [[1, [['👍', 1]], 1]]), [react(1, 20, '👍')]);

    expect(batch.writes()).toEqual({ reactionDeletes: [], reactionUpserts: [], updates: [] });
    expect(batch.results(new Map())).toEqual([{ kind: 'unchanged', message }]);
  });
});
