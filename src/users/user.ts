/** A server's admin moderates every room and manages accounts; the first account is one. */
export type UserRole = 'admin' | 'user';

export interface User {
  id: number;
  username: string;
  /** What people see; the username stays the handle for mentions and direct messages. */
  displayName: string;
  role: UserRole;
  /** When a server admin deactivated the account; null while it is active. */
  deactivatedAt: Date | null;
  createdAt: Date;
}

/** A user with the password hash; never leaves the users module. */
export interface UserCredentials extends User {
  passwordHash: string;
}
