import type { User, UserCredentials, UserRole } from './user';

export interface NewUser {
  username: string;
  passwordHash: string;
}

/** Port of the user store. Usernames are unique case-insensitively. */
export abstract class UsersRepository {
  /**
   * Returns null when the username is taken, whatever its case. The store's first user is an
   * admin, however many register at once; every later one a user.
   */
  abstract create(user: NewUser): Promise<User | null>;
  abstract findById(id: number): Promise<User | null>;
  abstract findByIds(ids: readonly number[]): Promise<User[]>;
  /** Case-insensitive lookup. */
  abstract findByUsername(username: string): Promise<UserCredentials | null>;
  /** The users of these names, in any letter case; names of nobody are skipped. */
  abstract findByUsernames(usernames: readonly string[]): Promise<User[]>;
  /** Every user, ordered by id. */
  abstract list(): Promise<User[]>;
  /** The user as changed; null when there is no such user. */
  abstract setDisplayName(id: number, displayName: string): Promise<User | null>;
  abstract setPasswordHash(id: number, passwordHash: string): Promise<void>;
  abstract setRole(id: number, role: UserRole): Promise<void>;
  /** Deactivates (keeping the first time) or reactivates; null when there is no such user. */
  abstract setDeactivated(id: number, deactivated: boolean): Promise<User | null>;
}
