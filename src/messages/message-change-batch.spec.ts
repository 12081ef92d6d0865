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
});

/** The store as a batch reads it: one public room everybody is a member of. */
const state = (
  messages: Message[],
  positions: [number, [string, number][]][] = [],
): BatchState => ({
  room: (roomId) =>
    roomId === ROOM ? { isPrivate: false, isMember: true, ownerId: AUTHOR } : null,
  messages: new Map(messages.map((message) => [message.id, message])),
  positions: new Map(positions.map(([id, places]) => [id, new Map(places)])),
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
    const batch = run(state([message], [[1, [['👍', 3]]]]), [
      react(1, 21, '🎉'),
      react(1, 22, '👍'),
    ]);

    expect(batch.writes()).toEqual({
      reactionDeletes: [],
      reactionInserts: [
        { messageId: 1, userId: 22, emoji: '👍', position: 3 },
        { messageId: 1, userId: 21, emoji: '🎉', position: 4 },
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

  it('deletes and inserts anew a reaction taken back and given again, which then comes last', () => {
    const message = stored(1, [{ emoji: '👍', userIds: [20, 21] }]);
    const batch = run(state([message], [[1, [['👍', 1]]]]), [
      react(1, 20, '👍', false),
      react(1, 20, '👍'),
    ]);

    const writes = batch.writes();
    expect(writes.reactionDeletes).toEqual([{ messageId: 1, userId: 20, emoji: '👍' }]);
    expect(writes.reactionInserts).toEqual([
      { messageId: 1, userId: 20, emoji: '👍', position: 1 },
    ]);
    expect(writes.updates[0].reactions).toEqual([{ emoji: '👍', userIds: [21, 20] }]);
  });

  it('gives an emoji emptied and used again in the batch a new, last place', () => {
    const message = stored(1, [
      { emoji: '👍', userIds: [20] },
      { emoji: '🎉', userIds: [21] },
    ]);
    const batch = run(
      state(
        [message],
        [
          [
            1,
            [
              ['👍', 1],
              ['🎉', 2],
            ],
          ],
        ],
      ),
      [react(1, 20, '👍', false), react(1, 22, '👍')],
    );

    const writes = batch.writes();
    expect(writes.reactionDeletes).toEqual([{ messageId: 1, userId: 20, emoji: '👍' }]);
    expect(writes.reactionInserts).toEqual([
      { messageId: 1, userId: 22, emoji: '👍', position: 3 },
    ]);
    expect(writes.updates[0].reactions).toEqual([
      { emoji: '🎉', userIds: [21] },
      { emoji: '👍', userIds: [22] },
    ]);
  });

  it('deletes every stored reaction of a message deleted in the batch, and inserts none', () => {
    const message = stored(1, [{ emoji: '👍', userIds: [20] }]);
    const batch = run(state([message], [[1, [['👍', 1]]]]), [
      react(1, 21, '🎉'),
      { kind: 'delete', roomId: ROOM, messageId: 1, userId: AUTHOR },
      react(1, 22, '🚀'),
    ]);

    const writes = batch.writes();
    expect(writes.reactionDeletes).toEqual([{ messageId: 1, userId: 20, emoji: '👍' }]);
    expect(writes.reactionInserts).toEqual([]);
    expect(writes.updates).toEqual([{ ...message, content: '', deleted: true, reactions: [] }]);
  });

  it('answers every change with the message as the whole batch leaves it, and refusals as such', () => {
    const message = stored(1);
    const batch = run(state([message]), [
      { kind: 'edit', roomId: ROOM, messageId: 1, userId: AUTHOR, content: 'fixed' },
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
    const batch = run(state([message], [[1, [['👍', 1]]]]), [react(1, 20, '👍')]);

    expect(batch.writes()).toEqual({ reactionDeletes: [], reactionInserts: [], updates: [] });
    expect(batch.results(new Map())).toEqual([{ kind: 'unchanged', message }]);
  });
});
