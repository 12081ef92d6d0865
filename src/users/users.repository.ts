import type { User, UserCredentials } from './user';

export interface NewUser {
  username: string;
  passwordHash: string;
}

/** Port of the user store. Usernames are unique case-insensitively. */
export abstract class UsersRepository {
  /** Returns null when the username is taken, whatever its case. */
  abstract create(user: NewUser): Promise<User | null>;
  abstract findById(id: number): Promise<User | null>;
  abstract findByIds(ids: readonly number[]): Promise<User[]>;
  /** Case-insensitive lookup. */
  abstract findByUsername(username: string): Promise<UserCredentials | null>;
  /** The users of these names, in any letter case; names of nobody are skipped. */
  abstract findByUsernames(usernames: readonly string[]): Promise<User[]>;
  /** Every user, ordered by id. */
  abstract list(): Promise<User[]>;
}
