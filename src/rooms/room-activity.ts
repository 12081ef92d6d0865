import type { ReadPosition } from './room';

/** What a reader has not read in a room, counted up to UNREAD_COUNT_LIMIT. */
export interface UnreadCounts {
  /** Messages after the read position, not the reader's own and not deleted. */
  unread: number;
  /** The same, naming the reader. */
  mentions: number;
}

/** Where a reader stands in a room. */
export interface ReadingState {
  /** The reader's read position; null when not a member. */
  lastReadId: number | null;
  /** The id of the room's newest message; 0 when it has none. */
  newestId: number;
}

/** Counts stop here: a badge says "999+", and counting further would cost without telling more. */
export const UNREAD_COUNT_LIMIT = 1_000;

/**
 * Port of what the rooms' messages say about reading them, implemented by the message store:
 * counts are derived from the messages themselves, never kept as counters that can drift.
 */
export abstract class RoomActivity {
  /** The id of the room's newest message; 0 when it has none. */
  abstract newestMessageId(roomId: number): Promise<number>;
  /**
   * Where the user stands in the room. Asked for every mark of a read position, so readers who
   * all mark a new message at once must not cost a query each (PostgreSQL groups them).
   */
  abstract readingState(roomId: number, userId: number): Promise<ReadingState>;
  /**
   * Drops a deleted room's messages (on PostgreSQL the room's foreign key has taken them with
   * the room already), so that nothing of it is found, and its client_msg_ids are free again.
   */
  abstract forgetRoom(roomId: number): Promise<void>;
  /** Per room of the positions given, the reader's unread counts. */
  abstract unreadCounts(
    userId: number,
    positions: readonly ReadPosition[],
  ): Promise<Map<number, UnreadCounts>>;
}
