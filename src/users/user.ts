export interface User {
  id: number;
  username: string;
  createdAt: Date;
}

/** A user with the password hash; never leaves the users module. */
export interface UserCredentials extends User {
  passwordHash: string;
}
