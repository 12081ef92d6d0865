import type { UserResponse } from './dto/user.response';

/** Where profile changes are published; the real-time module delivers them. */
export abstract class UserEvents {
  /** To the connections of those who share one of these rooms with the user, and the user's own. */
  abstract userUpdated(user: UserResponse, roomIds: readonly number[]): void;
}
