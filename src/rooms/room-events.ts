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
  /**
   * The user left, was removed or was banned: tells the room, unsubscribes the user's connections
   * on every process and tells them (`room_removed`). The unsubscription travels ahead of any
   * message published after it, so none of the room's later messages reaches them.
   */
  abstract memberLeft(roomId: number, user: AuthUser): void;
  /** Gives a member's connections the room as it now is, as that member sees it (`room_updated`). */
  abstract roomUpdated(userId: number, room: RoomResponse): void;
  /** The room is gone: its members' connections are unsubscribed and told (`room_removed`). */
  abstract roomDeleted(roomId: number, memberIds: readonly number[]): void;
  /** Subscribes the user's connections to a room they are in without joining it (a direct room). */
  abstract roomAdded(userId: number, room: RoomResponse): void;
  /** Tells the user's connections that their read position in a room moved. */
  abstract readMoved(userId: number, event: ReadEvent): void;
}
