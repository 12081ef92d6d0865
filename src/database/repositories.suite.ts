import { uniqueName } from '../../test/factories/users.factory';
import type { SessionsRepository } from '../auth/sessions.repository';
import type { MessagesRepository } from '../messages/messages.repository';
import type { Room } from '../rooms/room';
import type { RoomsRepository } from '../rooms/rooms.repository';
import type { User } from '../users/user';
import type { UsersRepository } from '../users/users.repository';

/** The stores a shared repository suite runs against. */
export interface Repositories {
  users: UsersRepository;
  rooms: RoomsRepository;
  messages: MessagesRepository;
  sessions: SessionsRepository;
  /**
   * Another writer of the same messages, as another node of a cluster holds (with its own batches
   * on PostgreSQL); the memory store lives in one process, so it answers `messages` itself.
   */
  messagesOnAnotherNode: () => MessagesRepository;
  /**
   * From now on, lets concurrent sends overlap inside the store, their steps interleaved, as a
   * database's answers come back in any order: on PostgreSQL they do by themselves; the memory
   * store's membership checks then answer after varying numbers of ticks.
   */
  overlapWrites: () => void;
}

/** Builds the stores for one test; called before each test of a suite. */
export type RepositoriesSetup = () => Promise<Repositories>;

/** An id no store of a test run reaches, and still a valid PostgreSQL integer. */
export const MISSING_ID = 2_000_000_000;

/** A user with a name no other test of this run uses. */
export async function createUser(users: UsersRepository, prefix = 'user'): Promise<User> {
  const user = await users.create({ username: uniqueName(prefix), passwordHash: 'not-a-hash' });
  if (!user) throw new Error('a unique username was taken');
  return user;
}

/** A room with a name no other test of this run uses; its creator is its first member. */
export async function createRoom(
  rooms: RoomsRepository,
  creator: User,
  options: { isPrivate?: boolean } = {},
): Promise<Room> {
  const room = await rooms.create({
    name: uniqueName('room'),
    description: '',
    isPrivate: options.isPrivate ?? false,
    createdBy: creator.id,
  });
  if (!room) throw new Error('a unique room name was taken');
  return room;
}
