import type { AuthUser } from '../common/auth/auth-user';
import type { ReadEvent } from '../contract/events';
import type { RoomResponse } from './dto/room.dto';

/** Membership changes, published for the real-time module to deliver and to re-subscribe sockets. */
export abstract class RoomEvents {
  /**
   * Subscribes the user's connections to the room and tells the room; given the room as the user
   * sees it, gives it to their connections too (`room_added`), so their other tabs follow.
   * Resolves once their connections on every process receive the room: every message sent after
   * it reaches them.
   */
  abstract memberJoined(roomId: number, user: AuthUser, room?: RoomResponse): Promise<void>;
  /**
   * Tells the room, unsubscribes the user's connections and tells them (`room_removed`); resolves
   * once their connections on every process have stopped receiving the room.
   */
  abstract memberLeft(roomId: number, user: AuthUser): Promise<void>;
  /**
   * The user was removed or banned: as memberLeft, and resolves once their connections on every
   * process have stopped receiving the room, so no message sent after it reaches them.
   */
  abstract memberRemoved(roomId: number, user: AuthUser): Promise<void>;
  /** Gives a member's connections the room as it now is, as that member sees it (`room_updated`). */
  abstract roomUpdated(userId: number, room: RoomResponse): void;
  /**
   * The room is gone: its members' connections are unsubscribed and told (`room_removed`);
   * resolves once they have stopped receiving it on every process.
   */
  abstract roomDeleted(roomId: number, memberIds: readonly number[]): Promise<void>;
  /**
   * Subscribes the user's connections to a room they are in without joining it (a direct room);
   * resolves once their connections on every process receive it, as memberJoined.
   */
  abstract roomAdded(userId: number, room: RoomResponse): Promise<void>;
  /** Tells the user's connections that their read position in a room moved. */
  abstract readMoved(userId: number, event: ReadEvent): void;
}
