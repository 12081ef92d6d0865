import {
  createRoom,
  createUser,
  MISSING_ID,
  RepositoriesSetup,
} from '../database/repositories.suite';
import type { Room } from '../rooms/room';
import type { RoomsRepository } from '../rooms/rooms.repository';
import type { User } from '../users/user';
import type { UsersRepository } from '../users/users.repository';
import type { Message } from './message';
import type { MessagesRepository, StoredMessage } from './messages.repository';

/** The contract of MessagesRepository, run against every store. */
export function describeMessagesRepository(setup: RepositoriesSetup): void {
  describe('MessagesRepository', () => {
    let users: UsersRepository;
    let rooms: RoomsRepository;
    let messages: MessagesRepository;
    let messagesOnAnotherNode: () => MessagesRepository;
    let overlapWrites: () => void;
    let author: User;
    let room: Room;

    beforeEach(async () => {
      ({ users, rooms, messages, messagesOnAnotherNode, overlapWrites } = await setup());
      author = await createUser(users);
      room = await createRoom(rooms, author);
    });

    interface SendOptions {
      user?: User;
      roomId?: number;
      clientMsgId?: string | null;
      replyTo?: number | null;
      mentions?: number[];
      /** The store to write through; `messages` unless another node's. */
      node?: MessagesRepository;
    }

    /** Answers what the store answers, null included. */
    const create = (content: string, options: SendOptions = {}) => {
      const user = options.user ?? author;
      return (options.node ?? messages).create({
        roomId: options.roomId ?? room.id,
        userId: user.id,
        username: user.username,
        content,
        clientMsgId: options.clientMsgId ?? null,
        replyTo: options.replyTo ?? null,
        mentions: options.mentions ?? [],
      });
    };

    /** A send the store must accept. */
    const send = async (content: string, options: SendOptions = {}): Promise<StoredMessage> => {
      const stored = await create(content, options);
      if (!stored) throw new Error(`the store refused "${content}"`);
      return stored;
    };

    /** Sends `count` messages one after another and answers them in sending order. */
    const sendMany = async (count: number, roomId = room.id): Promise<Message[]> => {
      const sent: Message[] = [];
      for (let i = 0; i < count; i++) sent.push((await send(`message ${i}`, { roomId })).message);
      return sent;
    };

    const ids = (list: readonly Message[]) => list.map((message) => message.id);

    describe('create', () => {
      it('stores the message and answers created: true', async () => {
        const { message, created } = await send('Hello, world!', { clientMsgId: 'c-1' });

        expect(created).toBe(true);
        expect(message).toMatchObject({
          roomId: room.id,
          userId: author.id,
          username: author.username,
          content: 'Hello, world!',
          clientMsgId: 'c-1',
        });
        expect(message.id).toBeGreaterThan(0);
        expect(Number.isSafeInteger(message.id)).toBe(true);
        expect(message.createdAt).toBeInstanceOf(Date);
        expect(await messages.list(room.id, { limit: 10 })).toEqual([message]);
      });

      it('gives each message a greater id', async () => {
        const sent = await sendMany(5);

        expect(ids(sent)).toEqual([...ids(sent)].sort((a, b) => a - b));
        expect(new Set(ids(sent)).size).toBe(5);
      });

      it('answers a repeated (user, client_msg_id) with the stored message, stored once', async () => {
        const first = await send('first', { clientMsgId: 'retry-me' });

        const again = await send('second', { clientMsgId: 'retry-me' });

        expect(again.created).toBe(false);
        expect(again.message).toEqual(first.message);
        expect(await messages.list(room.id, { limit: 10 })).toEqual([first.message]);
      });

      it('finds a stored message by (user, client_msg_id), and nothing for another user', async () => {
        const { message } = await send('findable', { clientMsgId: 'find-me' });
        const other = await createUser(users);

        expect(await messages.findByClientMsgId(author.id, 'find-me')).toEqual(message);
        expect(await messages.findByClientMsgId(other.id, 'find-me')).toBeNull();
        expect(await messages.findByClientMsgId(author.id, 'never-sent')).toBeNull();
      });

      it('answers the stored message even when the repeat names another room', async () => {
        const other = await createRoom(rooms, author);
        const first = await send('first', { clientMsgId: 'moved' });

        const again = await send('first', { roomId: other.id, clientMsgId: 'moved' });

        expect(again).toEqual({ message: first.message, created: false });
        expect(await messages.list(other.id, { limit: 10 })).toEqual([]);
      });

      it('stores the same client_msg_id from another user as a new message', async () => {
        const other = await createUser(users);
        await rooms.addMember(room.id, other.id, 0);
        const first = await send('mine', { clientMsgId: 'shared-id' });

        const second = await send('theirs', { user: other, clientMsgId: 'shared-id' });

        expect(second.created).toBe(true);
        expect(second.message.id).toBeGreaterThan(first.message.id);
        expect(second.message).toMatchObject({
          userId: other.id,
          username: other.username,
          content: 'theirs',
          clientMsgId: 'shared-id',
        });
        expect(await messages.list(room.id, { limit: 10 })).toEqual([
          first.message,
          second.message,
        ]);
      });

      it('never deduplicates messages without client_msg_id', async () => {
        const first = await send('same');
        const second = await send('same');

        expect(first.created).toBe(true);
        expect(second.created).toBe(true);
        expect(second.message.id).toBeGreaterThan(first.message.id);
        expect(second.message.clientMsgId).toBeNull();
        expect(await messages.list(room.id, { limit: 10 })).toHaveLength(2);
      });
    });

    describe('replies and single messages', () => {
      it('stores the message a reply answers, and hands it out with the reply', async () => {
        const parent = (await send('the question')).message;

        const reply = (await send('the answer', { replyTo: parent.id })).message;

        expect(reply.replyTo).toBe(parent.id);
        expect(parent.replyTo).toBeNull();
        expect(await messages.list(room.id, { limit: 10 })).toEqual([parent, reply]);
        expect(await messages.findInRoom(room.id, reply.id)).toEqual(reply);
      });

      it('finds a message in its own room only', async () => {
        const elsewhere = await createRoom(rooms, author);
        const message = (await send('here')).message;

        expect(await messages.findInRoom(room.id, message.id)).toEqual(message);
        expect(await messages.findInRoom(elsewhere.id, message.id)).toBeNull();
        expect(await messages.findInRoom(room.id, MISSING_ID)).toBeNull();
        expect(await messages.findInRoom(MISSING_ID, message.id)).toBeNull();
      });
    });

    describe('list', () => {
      let sent: Message[];

      beforeEach(async () => {
        const elsewhere = await createRoom(rooms, author);
        sent = [];
        // Messages of another room are interleaved, and must never show up here.
        for (let i = 0; i < 6; i++) {
          sent.push((await send(`message ${i}`)).message);
          await send(`elsewhere ${i}`, { roomId: elsewhere.id });
        }
      });

      it('answers the newest `limit` messages, oldest first', async () => {
        expect(await messages.list(room.id, { limit: 3 })).toEqual(sent.slice(3));
      });

      it('answers every message when there are fewer than `limit`', async () => {
        expect(await messages.list(room.id, { limit: 200 })).toEqual(sent);
      });

      it('answers the newest `limit` of those before `before`', async () => {
        expect(await messages.list(room.id, { limit: 2, before: sent[4].id })).toEqual(
          sent.slice(2, 4),
        );
        expect(await messages.list(room.id, { limit: 10, before: sent[4].id })).toEqual(
          sent.slice(0, 4),
        );
        expect(await messages.list(room.id, { limit: 10, before: sent[0].id })).toEqual([]);
      });

      it('answers the oldest `limit` of those after `after`', async () => {
        expect(await messages.list(room.id, { limit: 2, after: sent[1].id })).toEqual(
          sent.slice(2, 4),
        );
        expect(await messages.list(room.id, { limit: 10, after: sent[1].id })).toEqual(
          sent.slice(2),
        );
        expect(await messages.list(room.id, { limit: 10, after: 0 })).toEqual(sent);
        expect(await messages.list(room.id, { limit: 10, after: sent[5].id })).toEqual([]);
      });

      it('answers the oldest `limit` between `after` and `before`', async () => {
        const page = { after: sent[0].id, before: sent[5].id };

        expect(await messages.list(room.id, { limit: 10, ...page })).toEqual(sent.slice(1, 5));
        expect(await messages.list(room.id, { limit: 2, ...page })).toEqual(sent.slice(1, 3));
        expect(
          await messages.list(room.id, { limit: 10, after: sent[2].id, before: sent[3].id }),
        ).toEqual([]);
      });

      it('answers [] for a room without messages', async () => {
        const empty = await createRoom(rooms, author);

        expect(await messages.list(empty.id, { limit: 50 })).toEqual([]);
      });

      it('answers [] for an unknown room', async () => {
        expect(await messages.list(MISSING_ID, { limit: 50 })).toEqual([]);
      });
    });

    describe('refusals', () => {
      it('refuses (null) a non-member of a public room, storing nothing', async () => {
        const stranger = await createUser(users);

        expect(await create('hi', { user: stranger, clientMsgId: 'stranger-1' })).toBeNull();
        expect(await messages.list(room.id, { limit: 10 })).toEqual([]);
        expect(await messages.findByClientMsgId(stranger.id, 'stranger-1')).toBeNull();
      });

      it('refuses (null) a non-member of a private room, and a missing room', async () => {
        const secret = await createRoom(rooms, author, { isPrivate: true });
        const stranger = await createUser(users);

        expect(await create('psst', { user: stranger, roomId: secret.id })).toBeNull();
        expect(await create('nowhere', { roomId: MISSING_ID })).toBeNull();
        expect(await messages.list(secret.id, { limit: 10 })).toEqual([]);
      });

      it('refuses a member who has left', async () => {
        await rooms.removeMember(room.id, author.id);

        expect(await create('gone')).toBeNull();
      });
    });

    // Sends made at once: on PostgreSQL they are stored together, in one batch per node.
    describe('concurrent sends', () => {
      it('stores a batch mixing several rooms, each room in sending order', async () => {
        const roomIds = [room.id, (await createRoom(rooms, author)).id];
        roomIds.push((await createRoom(rooms, author)).id);

        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            send(`mixed ${i}`, {
              roomId: roomIds[i % roomIds.length],
              clientMsgId: i % 2 === 0 ? `mixed-${i}` : null,
            }),
          ),
        );

        expect(results.every((result) => result.created)).toBe(true);
        for (const roomId of roomIds) {
          const sentThere = results
            .map((result) => result.message)
            .filter((message) => message.roomId === roomId);
          expect(sentThere).toHaveLength(4);
          expect(await messages.list(roomId, { limit: 10 })).toEqual(sentThere);
        }
      });

      it("refuses only the non-member's and the missing room's sends among members' sends", async () => {
        const stranger = await createUser(users);
        const member = await createUser(users);
        await rooms.addMember(room.id, member.id, 0);

        const [first, strangers, strangersKeyed, nowhere, second, third] = await Promise.all([
          create('author 1'),
          create('stranger', { user: stranger }),
          create('stranger keyed', { user: stranger, clientMsgId: 'refused-1' }),
          create('nowhere', { roomId: MISSING_ID, clientMsgId: 'refused-2' }),
          create('member', { user: member, clientMsgId: 'member-1' }),
          create('author 2'),
        ]);

        expect([strangers, strangersKeyed, nowhere]).toEqual([null, null, null]);
        expect([first, second, third].map((result) => result?.message.content)).toEqual([
          'author 1',
          'member',
          'author 2',
        ]);
        expect(await messages.list(room.id, { limit: 10 })).toEqual(
          [first, second, third].map((result) => result!.message),
        );
        expect(await messages.findByClientMsgId(author.id, 'refused-2')).toBeNull();
      });

      it('stores a client_msg_id sent twice at once once, and answers both with it', async () => {
        const [first, second] = await Promise.all([
          send('first', { clientMsgId: 'twice' }),
          send('second', { clientMsgId: 'twice' }),
        ]);

        expect(first.created).toBe(true);
        expect(first.message).toMatchObject({ content: 'first', clientMsgId: 'twice' });
        expect(second).toEqual({ message: first.message, created: false });
        expect(await messages.list(room.id, { limit: 10 })).toEqual([first.message]);
      });

      it('answers a client_msg_id stored before, among new sends', async () => {
        const earlier = await send('earlier', { clientMsgId: 'before' });

        const [fresh, again, unkeyed] = await Promise.all([
          send('fresh', { clientMsgId: 'after' }),
          send('again', { clientMsgId: 'before' }),
          send('unkeyed'),
        ]);

        expect(again).toEqual({ message: earlier.message, created: false });
        expect(fresh.created && unkeyed.created).toBe(true);
        expect(await messages.list(room.id, { limit: 10 })).toEqual([
          earlier.message,
          fresh.message,
          unkeyed.message,
        ]);
      });

      it('answers a shared client_msg_id as if the sends came one after another', async () => {
        const closed = await createRoom(rooms, await createUser(users));

        const [refused, stored, repeat] = await Promise.all([
          create('not a member there', { roomId: closed.id, clientMsgId: 'shared' }),
          create('member here', { clientMsgId: 'shared' }),
          create('not a member there either', { roomId: closed.id, clientMsgId: 'shared' }),
        ]);

        expect(refused).toBeNull();
        expect(stored).toMatchObject({
          created: true,
          message: { roomId: room.id, content: 'member here' },
        });
        expect(repeat).toEqual({ message: stored!.message, created: false });
        expect(await messages.list(closed.id, { limit: 10 })).toEqual([]);
      });

      it('gives concurrent sends distinct ids, increasing per room in commit order', async () => {
        const roomIds = [room.id, (await createRoom(rooms, author)).id];
        const nodes = [messages, messagesOnAnotherNode(), messagesOnAnotherNode()];
        const acked: Message[] = [];

        for (let wave = 0; wave < 4; wave++) {
          const results = await Promise.all(
            Array.from({ length: 12 }, (_, i) =>
              send(`wave ${wave} #${i}`, {
                roomId: roomIds[i % roomIds.length],
                node: nodes[i % nodes.length],
                clientMsgId: i % 3 === 0 ? `wave-${wave}-${i}` : null,
              }),
            ),
          );

          const sent = results.map((result) => result.message);
          expect(results.every((result) => result.created)).toBe(true);
          for (const roomId of roomIds) {
            // Sent after every earlier wave was acknowledged: greater ids than all of theirs.
            const before = Math.max(0, ...ids(acked.filter((m) => m.roomId === roomId)));
            expect(Math.min(...ids(sent.filter((m) => m.roomId === roomId)))).toBeGreaterThan(
              before,
            );
            // Through one node, ids follow the order of the sends.
            for (const node of nodes) {
              const throughNode = sent.filter(
                (m, i) => m.roomId === roomId && nodes[i % nodes.length] === node,
              );
              expect(ids(throughNode)).toEqual([...ids(throughNode)].sort((a, b) => a - b));
            }
          }
          acked.push(...sent);
        }

        expect(new Set(ids(acked)).size).toBe(acked.length);
        for (const roomId of roomIds) {
          const inRoom = acked.filter((m) => m.roomId === roomId).sort((a, b) => a.id - b.id);
          expect(await messages.list(roomId, { limit: 200 })).toEqual(inRoom);
        }
      });
    });

    describe('commit order', () => {
      it('lets a reader paging with `after` see every message exactly once', async () => {
        const writers = await Promise.all(Array.from({ length: 10 }, () => createUser(users)));
        await Promise.all(writers.map((writer) => rooms.addMember(room.id, writer.id, 0)));
        // Several nodes, each with its own batches, and sends whose steps interleave in the store,
        // so that writes overlap: a store that gives a send its id before it is visible (without
        // PostgreSQL's per-room lock, a batch that got lower ids but commits later) is caught by
        // the reader missing a message.
        const nodes = [messages, ...Array.from({ length: 4 }, () => messagesOnAnotherNode())];
        overlapWrites();

        let writing = true;
        const written = Promise.all(
          writers.map(async (writer, w) => {
            const results: StoredMessage[] = [];
            for (let i = 0; i < 20; i++) {
              results.push(
                await send(`concurrent ${w}.${i}`, {
                  user: writer,
                  node: nodes[w % nodes.length],
                  clientMsgId: i % 3 === 0 ? `concurrent-${w}-${i}` : null,
                }),
              );
            }
            return results;
          }),
        ).finally(() => {
          writing = false;
        });

        const seen: number[] = [];
        let lastSeen = 0;
        const readPage = async () => {
          const page = await messages.list(room.id, { limit: 500, after: lastSeen });
          for (const message of page) {
            // Each page continues where the last one stopped, in id order.
            expect(message.id).toBeGreaterThan(lastSeen);
            seen.push(message.id);
            lastSeen = message.id;
          }
        };
        while (writing) await readPage();
        const results = (await written).flat();
        await readPage();

        expect(results.every((result) => result.created)).toBe(true);
        const createdIds = results.map((result) => result.message.id).sort((a, b) => a - b);
        expect(seen).toEqual(createdIds);
        expect(ids(await messages.list(room.id, { limit: 500 }))).toEqual(createdIds);
      });
    });

    describe('what a reader has not read', () => {
      let reader: User;

      beforeEach(async () => {
        reader = await createUser(users);
        await rooms.addMember(room.id, reader.id, 0);
      });

      const countsAfter = async (lastReadId: number, roomId = room.id) =>
        (await messages.unreadCounts(reader.id, [{ roomId, lastReadId }])).get(roomId);

      it('keeps the mentions of a message, and counts messages and mentions after a position', async () => {
        const empty = await createRoom(rooms, author);
        expect(await messages.newestMessageId(empty.id)).toBe(0);
        expect(await countsAfter(0, empty.id)).toEqual({ unread: 0, mentions: 0 });

        const first = (await send('hello')).message;
        const named = (await send('hi @reader', { mentions: [reader.id] })).message;
        await send('my own', { user: reader });
        const last = (await send('bye')).message;

        expect(named.mentions).toEqual([reader.id]);
        expect((await messages.findInRoom(room.id, named.id))!.mentions).toEqual([reader.id]);
        expect(await messages.newestMessageId(room.id)).toBe(last.id);
        expect(await countsAfter(0)).toEqual({ unread: 3, mentions: 1 });
        expect(await countsAfter(first.id)).toEqual({ unread: 2, mentions: 1 });
        expect(await countsAfter(named.id)).toEqual({ unread: 1, mentions: 0 });
        expect(await countsAfter(last.id)).toEqual({ unread: 0, mentions: 0 });
      });

      it('answers where each reader stands, many at once each with their own', async () => {
        const outsider = await createUser(users);
        const other = await createRoom(rooms, author);
        const last = (await send('newest')).message;

        const states = await Promise.all([
          messages.readingState(room.id, reader.id),
          messages.readingState(room.id, author.id),
          messages.readingState(room.id, outsider.id),
          messages.readingState(other.id, author.id),
          messages.readingState(MISSING_ID, reader.id),
        ]);

        expect(states).toEqual([
          { lastReadId: 0, newestId: last.id },
          { lastReadId: 0, newestId: last.id },
          { lastReadId: null, newestId: last.id },
          { lastReadId: 0, newestId: 0 },
          { lastReadId: null, newestId: 0 },
        ]);
      });

      it('follows edits and deletions: a deleted message counts for nothing and names nobody', async () => {
        const plain = (await send('plain')).message;
        const named = (await send('hi @reader', { mentions: [reader.id] })).message;

        const edit = { kind: 'edit' as const, roomId: room.id, userId: author.id };
        await messages.change({
          ...edit,
          messageId: plain.id,
          content: 'hi @r',
          mentions: [reader.id],
        });
        expect(await countsAfter(0)).toEqual({ unread: 2, mentions: 2 });
        await messages.change({ ...edit, messageId: named.id, content: 'hi all', mentions: [] });
        expect(await countsAfter(0)).toEqual({ unread: 2, mentions: 1 });

        const deleted = await messages.change({
          kind: 'delete',
          roomId: room.id,
          userId: author.id,
          messageId: plain.id,
        });
        expect(deleted).toMatchObject({ kind: 'changed', message: { mentions: [] } });
        expect(await countsAfter(0)).toEqual({ unread: 1, mentions: 0 });
      });

      it('counts for many readers asking at once, each from their own position', async () => {
        const first = (await send('one')).message;
        await send('two @reader', { mentions: [reader.id] });
        await send('three', { user: reader });

        const [forReader, forAuthor, fromFirst] = await Promise.all([
          messages.unreadCounts(reader.id, [{ roomId: room.id, lastReadId: 0 }]),
          messages.unreadCounts(author.id, [{ roomId: room.id, lastReadId: 0 }]),
          messages.unreadCounts(reader.id, [{ roomId: room.id, lastReadId: first.id }]),
        ]);

        expect(forReader.get(room.id)).toEqual({ unread: 2, mentions: 1 });
        expect(forAuthor.get(room.id)).toEqual({ unread: 1, mentions: 0 });
        expect(fromFirst.get(room.id)).toEqual({ unread: 1, mentions: 1 });
      });

      it('stops counting at 1,000, for messages and mentions alike', async () => {
        await Promise.all(
          Array.from({ length: 1_003 }, (_, i) => send(`flood ${i}`, { mentions: [reader.id] })),
        );
        expect(await countsAfter(0)).toEqual({ unread: 1_000, mentions: 1_000 });
      });
    });
  });
}
