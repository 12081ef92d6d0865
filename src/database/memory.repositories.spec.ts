import { MessagesMemoryRepository } from '../messages/messages.memory.repository';
import { describeMessagesRepository } from '../messages/messages.repository.suite';
import { RoomsMemoryRepository } from '../rooms/rooms.memory.repository';
import { describeRoomsRepository } from '../rooms/rooms.repository.suite';
import { UsersMemoryRepository } from '../users/users.memory.repository';
import { describeUsersRepository } from '../users/users.repository.suite';
import type { Repositories } from './repositories.suite';

describe('memory repositories', () => {
  // A fresh store for every test.
  const setup = async (): Promise<Repositories> => {
    const rooms = new RoomsMemoryRepository();
    const messages = new MessagesMemoryRepository(rooms);
    return {
      users: new UsersMemoryRepository(),
      rooms,
      messages,
      messagesOnAnotherNode: () => messages,
    };
  };

  describeUsersRepository(setup);
  describeRoomsRepository(setup);
  describeMessagesRepository(setup);
});
