import { SessionsMemoryRepository } from '../auth/sessions.memory.repository';
import { describeSessionsRepository } from '../auth/sessions.repository.suite';
import { MessagesMemoryRepository } from '../messages/messages.memory.repository';
import { describeMessageChangesRepository } from '../messages/message-changes.repository.suite';
import { describeMessagesRepository } from '../messages/messages.repository.suite';
import { describeMessageSearchRepository } from '../messages/message-search.repository.suite';
import { RoomsMemoryRepository } from '../rooms/rooms.memory.repository';
import type { RoomsRepository } from '../rooms/rooms.repository';
import { describeRoomsRepository } from '../rooms/rooms.repository.suite';
import { UsersMemoryRepository } from '../users/users.memory.repository';
import { describeUsersRepository } from '../users/users.repository.suite';
import type { Repositories } from './repositories.suite';

/** Ticks each call waits once overlapping, in turn: enough to reorder neighbouring calls. */
const TICKS = [3, 0, 2, 1];

/**
 * `rooms` as the messages store sees it: once `overlap()` is called, each call answers after a
 * number of promise ticks that varies from call to call, so that calls answer out of order.
 */
function roomsAnsweringOutOfOrder(rooms: RoomsRepository): {
  view: RoomsRepository;
  overlap: () => void;
} {
  let overlapping = false;
  let calls = 0;
  const view = new Proxy(rooms, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (overlapping) {
          for (let tick = TICKS[calls++ % TICKS.length]; tick > 0; tick--) await Promise.resolve();
        }
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { view, overlap: () => (overlapping = true) };
}

describe('memory repositories', () => {
  // A fresh store for every test.
  const setup = async (): Promise<Repositories> => {
    const rooms = new RoomsMemoryRepository();
    const membership = roomsAnsweringOutOfOrder(rooms);
    const messages = new MessagesMemoryRepository(membership.view);
    return {
      users: new UsersMemoryRepository(),
      rooms,
      messages,
      sessions: new SessionsMemoryRepository(),
      messagesOnAnotherNode: () => messages,
      overlapWrites: membership.overlap,
    };
  };

  describeUsersRepository(setup);
  describeRoomsRepository(setup);
  describeMessagesRepository(setup);
  describeMessageChangesRepository(setup);
  describeMessageSearchRepository(setup);
  describeSessionsRepository(setup);
});
