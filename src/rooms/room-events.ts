import type { AuthUser } from '../common/auth/auth-user';
import type { ReadEvent } from '../contract/events';
import type { RoomResponse } from './dto/room.dto';

/** Membership changes, published for the real-time module to deliver and to re-subscribe sockets. */
export abstract class RoomEvents {
  /** Subscribes the user's connections to the room and tells the room. */
  abstract memberJoined(roomId: number, user: AuthUser): void;
  /** Tells the room and unsubscribes the user's connections. */
  abstract memberLeft(roomId: number, user: AuthUser): void;
  /** Subscribes the user's connections to a room they can now read and gives them it as they see it. */
  abstract roomAdded(userId: number, room: RoomResponse): void;
  /** Unsubscribes the user's connections from a room they can no longer read, and tells them. */
  abstract roomRemoved(userId: number, roomId: number): void;
  /** Tells the user's connections that their read position in a room moved. */
  abstract readMoved(userId: number, event: ReadEvent): void;
}
