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
import type { MessagesRepository } from './messages.repository';

/** The contract of MessagesRepository, run against every store. */
export function describeMessagesRepository(setup: RepositoriesSetup): void {
  describe('MessagesRepository', () => {
    let users: UsersRepository;
    let rooms: RoomsRepository;
    let messages: MessagesRepository;
    let author: User;
    let room: Room;

    beforeEach(async () => {
      ({ users, rooms, messages } = await setup());
      author = await createUser(users);
      room = await createRoom(rooms, author);
    });

    const send = async (
      content: string,
      options: { user?: User; roomId?: number; clientMsgId?: string | null } = {},
    ) => {
      const user = options.user ?? author;
      return messages.create({
        roomId: options.roomId ?? room.id,
        userId: user.id,
        username: user.username,
        content,
        clientMsgId: options.clientMsgId ?? null,
      });
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
        await rooms.addMember(room.id, other.id);
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

    describe('commit order', () => {
      it('lets a reader paging with `after` see every message exactly once', async () => {
        const writers = await Promise.all(Array.from({ length: 10 }, () => createUser(users)));
        await Promise.all(writers.map((writer) => rooms.addMember(room.id, writer.id)));

        let writing = true;
        const written = Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            send(`concurrent ${i}`, {
              user: writers[i % writers.length],
              clientMsgId: i % 3 === 0 ? `concurrent-${i}` : null,
            }),
          ),
        ).finally(() => {
          writing = false;
        });

        const seen: number[] = [];
        let lastSeen = 0;
        const readPage = async () => {
          const page = await messages.list(room.id, { limit: 200, after: lastSeen });
          for (const message of page) {
            // Each page continues where the last one stopped, in id order.
            expect(message.id).toBeGreaterThan(lastSeen);
            seen.push(message.id);
            lastSeen = message.id;
          }
        };
        while (writing) await readPage();
        const results = await written;
        await readPage();

        expect(results.every((result) => result.created)).toBe(true);
        const createdIds = results.map((result) => result.message.id).sort((a, b) => a - b);
        expect(seen).toEqual(createdIds);
        expect(ids(await messages.list(room.id, { limit: 200 }))).toEqual(createdIds);
      });
    });
  });
}
