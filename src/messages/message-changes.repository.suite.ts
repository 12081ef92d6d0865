import {
  createRoom,
  createUser,
  MISSING_ID,
  RepositoriesSetup,
} from '../database/repositories.suite';
import { LIMITS } from '../common/limits';
import type { Room } from '../rooms/room';
import type { RoomsRepository } from '../rooms/rooms.repository';
import type { User } from '../users/user';
import type { UsersRepository } from '../users/users.repository';
import type { Message } from './message';
import type { MessageChange } from './message-changes';
import type { ChangeResult, MessagesRepository } from './messages.repository';

type ChangeInput = MessageChange extends infer C
  ? C extends MessageChange
    ? Omit<C, 'roomId' | 'userId' | 'mentions'> & {
        roomId?: number;
        user?: User;
        mentions?: readonly number[];
      }
    : never
  : never;

/** The contract of MessagesRepository's changes (edits, deletions, reactions), run against every store. */
export function describeMessageChangesRepository(setup: RepositoriesSetup): void {
  describe('MessagesRepository changes', () => {
    let users: UsersRepository;
    let rooms: RoomsRepository;
    let messages: MessagesRepository;
    let messagesOnAnotherNode: () => MessagesRepository;
    let overlapWrites: () => void;
    let author: User;
    let member: User;
    let room: Room;

    beforeEach(async () => {
      ({ users, rooms, messages, messagesOnAnotherNode, overlapWrites } = await setup());
      author = await createUser(users);
      member = await createUser(users);
      room = await createRoom(rooms, author);
      await rooms.addMember(room.id, member.id, 0);
    });

    const send = async (content: string, user = author, roomId = room.id): Promise<Message> => {
      const stored = await messages.create({
        roomId,
        userId: user.id,
        username: user.username,
        content,
        clientMsgId: null,
        replyTo: null,
        mentions: [],
      });
      if (!stored) throw new Error(`the store refused "${content}"`);
      return stored.message;
    };

    const change = (input: ChangeInput, node = messages): Promise<ChangeResult> => {
      const { user = author, roomId = room.id, ...rest } = input;
      // An edit names nobody unless the test says whom.
      const full = rest.kind === 'edit' ? { mentions: [], ...rest } : rest;
      return node.change({ ...full, roomId, userId: user.id });
    };

    /** A change the store must make; answers the changed message. */
    const changed = async (input: ChangeInput, node = messages): Promise<Message> => {
      const result = await change(input, node);
      if (result.kind !== 'changed') throw new Error(`not changed: ${JSON.stringify(result)}`);
      return result.message;
    };

    const react = (message: Message, emoji: string, user = author, on = true) =>
      change({ kind: 'react', messageId: message.id, emoji, on, user });

    /** Reactions as [emoji, user ids] pairs, in order. */
    const summary = (message: Message): [string, number[]][] =>
      message.reactions.map((reaction) => [reaction.emoji, [...reaction.userIds]]);

    const latest = async (message: Message) => (await messages.findInRoom(room.id, message.id))!;

    describe('edit', () => {
      it('stores the new content and edited_at, with a greater change_id, read back everywhere', async () => {
        const original = await send('helo');
        const later = await send('later');

        const edited = await changed({ kind: 'edit', messageId: original.id, content: 'hello' });

        expect(edited).toMatchObject({ id: original.id, content: 'hello', deleted: false });
        expect(edited.editedAt).toBeInstanceOf(Date);
        expect(edited.changeId).toBeGreaterThan(later.changeId);
        expect(edited.createdAt).toEqual(original.createdAt);
        expect(await latest(original)).toEqual(edited);
        expect(await messages.list(room.id, { limit: 10 })).toEqual([edited, later]);
      });

      it('changes nothing for the same text: the message keeps its change_id', async () => {
        const original = await send('same');

        expect(await change({ kind: 'edit', messageId: original.id, content: 'same' })).toEqual({
          kind: 'unchanged',
          message: original,
        });
      });

      it("refuses another user's message, a deleted one, and one of another room", async () => {
        const original = await send('mine');
        const other = await createRoom(rooms, author);
        const elsewhere = await send('elsewhere', author, other.id);
        const gone = await send('gone');
        await changed({ kind: 'delete', messageId: gone.id });
        const edit = (messageId: number, user = author) =>
          change({ kind: 'edit', messageId, content: 'new', user });

        expect(await edit(original.id, member)).toEqual(refusal('not_message_author'));
        expect(await edit(gone.id)).toEqual(refusal('message_not_found'));
        expect(await edit(elsewhere.id)).toEqual(refusal('message_not_found'));
        expect(await edit(MISSING_ID)).toEqual(refusal('message_not_found'));
        expect(await latest(original)).toEqual(original);
      });
    });

    describe('delete', () => {
      it('leaves a tombstone in place: same id, empty content, no reactions', async () => {
        const first = await send('first');
        const doomed = await send('doomed');
        const last = await send('last');
        await react(doomed, '👍', member);

        const tombstone = await changed({ kind: 'delete', messageId: doomed.id });

        expect(tombstone).toMatchObject({
          id: doomed.id,
          content: '',
          deleted: true,
          reactions: [],
        });
        expect(ids(await messages.list(room.id, { limit: 10 }))).toEqual(
          ids([first, doomed, last]),
        );
        expect(await messages.list(room.id, { limit: 10, after: first.id })).toEqual([
          tombstone,
          last,
        ]);
      });

      it('answers the tombstone unchanged when deleted twice', async () => {
        const message = await send('once');
        const tombstone = await changed({ kind: 'delete', messageId: message.id });

        expect(await change({ kind: 'delete', messageId: message.id })).toEqual({
          kind: 'unchanged',
          message: tombstone,
        });
      });

      it("lets the room's owner delete others' messages, and nobody else", async () => {
        const bystander = await createUser(users);
        await rooms.addMember(room.id, bystander.id, 0);
        const byMember = await send('by member', member);

        expect(await change({ kind: 'delete', messageId: byMember.id, user: bystander })).toEqual(
          refusal('forbidden'),
        );
        expect(
          await changed({ kind: 'delete', messageId: byMember.id, user: author }),
        ).toMatchObject({
          deleted: true,
        });
      });

      it('answers outsiders of a private room as if it did not exist', async () => {
        const secret = await createRoom(rooms, author, { isPrivate: true });
        const message = await send('secret', author, secret.id);
        const outsider = await createUser(users);

        for (const kind of ['edit', 'delete'] as const) {
          const input = { kind, messageId: message.id, roomId: secret.id, user: outsider };
          expect(await change({ ...input, content: 'x' })).toEqual(refusal('room_not_found'));
        }
        expect(await change({ kind: 'delete', messageId: message.id, roomId: MISSING_ID })).toEqual(
          refusal('room_not_found'),
        );
      });
    });

    describe('react', () => {
      it('sums reactions up by emoji, in order of first use, users in the order they reacted', async () => {
        const message = await send('react to me');
        await react(message, '👍', member);
        await react(message, '🎉', author);
        const result = await react(message, '👍', author);

        expect(result.kind).toBe('changed');
        const reacted = (result as { message: Message }).message;
        expect(summary(reacted)).toEqual([
          ['👍', [member.id, author.id]],
          ['🎉', [author.id]],
        ]);
        expect(await latest(message)).toEqual(reacted);
      });

      it('is idempotent on and off: a repeat changes nothing and keeps the change_id', async () => {
        const message = await send('twice');
        const once = await react(message, '👍');
        const again = await react(message, '👍');
        const never = await react(message, '🎉', author, false);

        expect(again).toEqual({
          kind: 'unchanged',
          message: (once as { message: Message }).message,
        });
        expect(never).toEqual({
          kind: 'unchanged',
          message: (once as { message: Message }).message,
        });
      });

      it('drops an emoji with its last reaction, and keeps an emoji in place while it lasts', async () => {
        const message = await send('places');
        await react(message, '👍', member);
        await react(message, '🎉', member);
        await react(message, '👍', author);
        await react(message, '👍', member, false);
        await react(message, '🎉', member, false);

        expect(summary(await latest(message))).toEqual([['👍', [author.id]]]);

        await react(message, '🎉', author);
        await react(message, '👍', member);
        expect(summary(await latest(message))).toEqual([
          ['👍', [author.id, member.id]],
          ['🎉', [author.id]],
        ]);
      });

      it(`refuses a new emoji beyond ${LIMITS.reactionsPerMessage}, not another user's on one there`, async () => {
        const message = await send('many');
        const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗'];
        expect(emoji).toHaveLength(LIMITS.reactionsPerMessage);
        for (const one of emoji) await react(message, one);

        expect(await react(message, '🤔')).toEqual(refusal('too_many_reactions'));
        expect((await react(message, '😀', member)).kind).toBe('changed');
      });

      it('refuses non-members, deleted messages and messages of other rooms', async () => {
        const message = await send('members only');
        const outsider = await createUser(users);
        const secret = await createRoom(rooms, author, { isPrivate: true });
        const hidden = await send('hidden', author, secret.id);
        const gone = await send('gone');
        await changed({ kind: 'delete', messageId: gone.id });

        expect(await react(message, '👍', outsider)).toEqual(refusal('not_a_member'));
        expect(
          await change({
            kind: 'react',
            messageId: hidden.id,
            roomId: secret.id,
            emoji: '👍',
            on: true,
            user: outsider,
          }),
        ).toEqual(refusal('room_not_found'));
        expect(await react(gone, '👍')).toEqual(refusal('message_not_found'));
        expect(await react(hidden, '👍')).toEqual(refusal('message_not_found'));
      });
    });

    describe('listChanged', () => {
      it('answers each changed message once, at its latest change, oldest change first', async () => {
        const [a, b, c] = [await send('a'), await send('b'), await send('c')];
        await changed({ kind: 'edit', messageId: a.id, content: 'a2' });
        await react(b, '👍', member);
        await changed({ kind: 'edit', messageId: a.id, content: 'a3' });

        const all = await messages.listChanged(room.id, 0, 10);
        expect(all.map((m) => m.content)).toEqual(['c', 'b', 'a3']);
        expect(changeIds(all)).toEqual([...changeIds(all)].sort((x, y) => x - y));
        expect(await messages.listChanged(room.id, c.changeId, 10)).toEqual(all.slice(1));
        expect(await messages.listChanged(room.id, 0, 2)).toEqual(all.slice(0, 2));
        expect(await messages.listChanged(room.id, all[2].changeId, 10)).toEqual([]);
        expect(await messages.listChanged(MISSING_ID, 0, 10)).toEqual([]);
      });

      it('keeps answering every message once after many changes to a few', async () => {
        const sent = [await send('x'), await send('y')];
        for (let i = 0; i < 30; i++) {
          await changed({ kind: 'edit', messageId: sent[i % 2].id, content: `edit ${i}` });
        }

        const all = await messages.listChanged(room.id, 0, 10);
        expect(all.map((m) => m.content)).toEqual(['edit 28', 'edit 29']);
      });
    });

    describe('concurrent changes', () => {
      it('gives each change of a room its own change_id, greater than every one acknowledged before', async () => {
        const writers = await Promise.all(Array.from({ length: 6 }, () => createUser(users)));
        await Promise.all(writers.map((writer) => rooms.addMember(room.id, writer.id, 0)));
        const targets = [await send('one'), await send('two')];
        const nodes = [messages, messagesOnAnotherNode(), messagesOnAnotherNode()];
        let acknowledged = Math.max(...changeIds(targets));

        for (let wave = 0; wave < 3; wave++) {
          const results = await Promise.all(
            writers.map((writer, w) =>
              changed(
                {
                  kind: 'react',
                  messageId: targets[w % 2].id,
                  emoji: ['👍', '🎉', '🚀'][wave],
                  on: true,
                  user: writer,
                },
                nodes[w % nodes.length],
              ),
            ),
          );
          const newest = new Map<number, number>();
          for (const message of results) {
            expect(message.changeId).toBeGreaterThan(acknowledged);
            newest.set(message.id, Math.max(newest.get(message.id) ?? 0, message.changeId));
          }
          acknowledged = Math.max(...newest.values());
        }

        // Emoji in wave order; within a wave, users in the order their changes committed.
        for (const [t, target] of targets.entries()) {
          const own = writers
            .filter((_, w) => w % 2 === t)
            .map((writer) => writer.id)
            .sort((x, y) => x - y);
          const reactions = summary(await latest(target));
          expect(reactions.map(([emoji]) => emoji)).toEqual(['👍', '🎉', '🚀']);
          for (const [, userIds] of reactions) {
            expect([...userIds].sort((x, y) => x - y)).toEqual(own);
          }
        }
      });

      it('lets a reader paging with changed_after see the final state of every message', async () => {
        const writers = await Promise.all(Array.from({ length: 2 }, () => createUser(users)));
        await Promise.all(writers.map((writer) => rooms.addMember(room.id, writer.id, 0)));
        const targets = await Promise.all(writers.map((writer) => send('start', writer)));
        const nodes = [messages, messagesOnAnotherNode()];
        overlapWrites();

        let writing = true;
        const written = Promise.all(
          writers.map(async (writer, w) => {
            const node = nodes[w];
            for (let i = 0; i < 25; i++) {
              const target = targets[(w + i) % targets.length];
              if (target.userId === writer.id && i % 2 === 0) {
                await change(
                  { kind: 'edit', messageId: target.id, content: `w${w} #${i}`, user: writer },
                  node,
                );
              } else {
                await change(
                  {
                    kind: 'react',
                    messageId: target.id,
                    emoji: ['👍', '🎉', '🚀'][i % 3],
                    on: i % 4 !== 3,
                    user: writer,
                  },
                  node,
                );
              }
              if (i % 5 === 0) await send(`w${w} says ${i}`, writer);
            }
          }),
        ).finally(() => {
          writing = false;
        });

        const seen = new Map<number, Message>();
        let lastChange = 0;
        const readPage = async () => {
          const page = await messages.listChanged(room.id, lastChange, 7);
          for (const message of page) {
            expect(message.changeId).toBeGreaterThan(lastChange);
            seen.set(message.id, message);
            lastChange = message.changeId;
          }
          return page.length;
        };
        while (writing) await readPage();
        await written;
        while ((await readPage()) > 0);

        const final = await messages.list(room.id, { limit: 200 });
        expect(final.length).toBeGreaterThan(targets.length);
        expect([...seen.values()].sort((x, y) => x.id - y.id)).toEqual(final);
      });
    });
  });
}

const refusal = (refusal: string) => ({ kind: 'refused', refusal });
const ids = (list: readonly Message[]) => list.map((message) => message.id);
const changeIds = (list: readonly Message[]) => list.map((message) => message.changeId);
