import type { AuthUser } from '../common/auth/auth-user';
import type { ReadEvent } from '../contract/events';
import type { RoomResponse } from './dto/room.dto';

/** Membership changes, published for the real-time module to deliver and to re-subscribe sockets. */
export abstract class RoomEvents {
  /**
   * Subscribes the user's connections to the room and tells the room; given the room as the user
   * sees it, gives it to their connections too (`room_added`), so their other tabs follow.
   */
  abstract memberJoined(roomId: number, user: AuthUser, room?: RoomResponse): void;
  /** Tells the room, unsubscribes the user's connections and tells them (`room_removed`). */
  abstract memberLeft(roomId: number, user: AuthUser): void;
  /** Subscribes the user's connections to a room they are in without joining it (a direct room). */
  abstract roomAdded(userId: number, room: RoomResponse): void;
  /** Tells the user's connections that their read position in a room moved. */
  abstract readMoved(userId: number, event: ReadEvent): void;
}
