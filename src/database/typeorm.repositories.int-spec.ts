import { DataSource } from 'typeorm';
import { describeSessionsRepository } from '../auth/sessions.repository.suite';
import { SessionsTypeormRepository } from '../auth/sessions.typeorm.repository';
import { testDatabaseUrl } from '../../test/support/test-database';
import { MessagesTypeormRepository } from '../messages/messages.typeorm.repository';
import { describeMessageChangesRepository } from '../messages/message-changes.repository.suite';
import { describeMessagesRepository } from '../messages/messages.repository.suite';
import { describeMessageSearchRepository } from '../messages/message-search.repository.suite';
import { RoomsTypeormRepository } from '../rooms/rooms.typeorm.repository';
import { describeRoomsRepository } from '../rooms/rooms.repository.suite';
import { UsersTypeormRepository } from '../users/users.typeorm.repository';
import { describeUsersRepository } from '../users/users.repository.suite';
import { dataSourceOptions } from './data-source-options';
import type { Repositories } from './repositories.suite';

// The run's database is shared with suites running at the same time: names are unique per test,
// and no test assumes a table is empty.
describe('TypeORM repositories (PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(testDatabaseUrl()));
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  const setup = async (): Promise<Repositories> => ({
    users: new UsersTypeormRepository(dataSource),
    rooms: new RoomsTypeormRepository(dataSource),
    messages: new MessagesTypeormRepository(dataSource),
    sessions: new SessionsTypeormRepository(dataSource),
    messagesOnAnotherNode: () => new MessagesTypeormRepository(dataSource),
    // Each node's batches are transactions of their own, which overlap by themselves.
    overlapWrites: () => undefined,
  });

  describeUsersRepository(setup);
  describeRoomsRepository(setup);
  describeMessagesRepository(setup);
  describeMessageChangesRepository(setup);
  describeMessageSearchRepository(setup);
  describeSessionsRepository(setup);
});
