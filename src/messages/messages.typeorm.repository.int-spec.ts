import { DataSource } from 'typeorm';
import { TcpProxy } from '../../test/support/tcp-proxy';
import { testDatabaseUrl } from '../../test/support/test-database';
import { rejection } from '../../test/support/rejection';
import { dataSourceOptions } from '../database/data-source-options';
import { createRoom, createUser } from '../database/repositories.suite';
import { isStorageUnavailable } from '../common/errors/storage-errors';
import type { Room } from '../rooms/room';
import { RoomsTypeormRepository } from '../rooms/rooms.typeorm.repository';
import type { User } from '../users/user';
import { UsersTypeormRepository } from '../users/users.typeorm.repository';
import type { NewMessage } from './message';
import { MessagesTypeormRepository } from './messages.typeorm.repository';

// What only the PostgreSQL store has: batches and how they fail, and the flush on shutdown. The
// rest of its contract is the shared suite (src/database/typeorm.repositories.int-spec.ts).
describe('MessagesTypeormRepository', () => {
  let dataSource: DataSource;
  let author: User;
  let room: Room;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(testDatabaseUrl()));
    await dataSource.initialize();
    author = await createUser(new UsersTypeormRepository(dataSource));
    room = await createRoom(new RoomsTypeormRepository(dataSource), author);
  });
  afterAll(() => dataSource.destroy());

  const message = (content: string): NewMessage => ({
    roomId: room.id,
    userId: author.id,
    username: author.username,
    content,
    clientMsgId: null,
    replyTo: null,
    mentions: [],
  });

  it('stores and answers every queued send when the app shuts down', async () => {
    const messages = new MessagesTypeormRepository(dataSource);
    const settled: string[] = [];
    const sends = ['a', 'b', 'c'].map((content) =>
      messages.create(message(content)).then((stored) => settled.push(stored!.message.content)),
    );

    await messages.beforeApplicationShutdown();

    expect(settled).toEqual(['a', 'b', 'c']);
    await Promise.all(sends);
  });

  it("stores the others' sends of a group that holds a row the database refuses", async () => {
    const messages = new MessagesTypeormRepository(dataSource);
    const users = new UsersTypeormRepository(dataSource);
    const rooms = new RoomsTypeormRepository(dataSource);
    const others = await Promise.all([1, 2, 3, 4].map(() => createUser(users, 'other')));
    for (const other of others) await rooms.addMember(room.id, other.id, 0);
    const send = (user: User, content: string, clientMsgId: string | null = null) =>
      messages.create({
        ...message(content),
        userId: user.id,
        username: user.username,
        clientMsgId,
      });

    // Sent in one turn, so they form one group; validation would refuse the long id, so this
    // stands for any row PostgreSQL refuses (here: varchar(128) overflows, SQLSTATE 22001).
    const outcomes = await Promise.allSettled([
      send(others[0], 'first'),
      send(author, 'refused', 'x'.repeat(200)),
      ...others.slice(1).map((other, index) => send(other, `good ${index}`, `id-${other.id}`)),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    const stored = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value!.message] : [],
    );
    expect(stored.map((stored) => stored.content)).toEqual(['first', 'good 0', 'good 1', 'good 2']);
    const page = await messages.list(room.id, { limit: 10, after: stored[0].id - 1 });
    expect(page).toEqual(stored);
  });

  describe('while PostgreSQL is unreachable', () => {
    let proxy: TcpProxy;
    let proxied: DataSource;

    beforeAll(async () => {
      const database = new URL(testDatabaseUrl());
      proxy = new TcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
      await proxy.start();
      database.hostname = '127.0.0.1';
      database.port = String(proxy.port);
      proxied = new DataSource(dataSourceOptions(database.toString()));
      await proxied.initialize();
    });
    afterAll(async () => {
      await proxied.destroy();
      await proxy.stop();
    });

    it('rejects every send of the batch with the storage error, then stores the next', async () => {
      const messages = new MessagesTypeormRepository(proxied);
      await proxy.stop();

      const errors = await Promise.all(
        ['lost 1', 'lost 2'].map((content) => rejection(messages.create(message(content)))),
      );

      expect(errors[1]).toBe(errors[0]);
      expect(isStorageUnavailable(errors[0])).toBe(true);
      await proxy.start();
      const stored = await messages.create(message('after'));
      expect(stored).toMatchObject({ created: true, message: { content: 'after' } });
    });
  });
});
