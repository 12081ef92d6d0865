import type { AuthUser } from '../common/auth/auth-user';

/** Membership changes, published for the real-time module to deliver and to re-subscribe sockets. */
export abstract class RoomEvents {
  abstract memberJoined(roomId: number, user: AuthUser): void;
  abstract memberLeft(roomId: number, user: AuthUser): void;
}
