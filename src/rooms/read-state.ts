import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import type { ReadMark } from './room';
import { RoomActivity, type UnreadCounts } from './room-activity';
import { RoomEvents } from './room-events';
import { RoomsError } from './rooms.error';
import { RoomsRepository } from './rooms.repository';

/** How long a read position may wait in memory before it is stored. */
const FLUSH_INTERVAL_MS = 1_000;

const NOTHING_UNREAD: UnreadCounts = { unread: 0, mentions: 0 };

const keyOf = (roomId: number, userId: number) => `${roomId}:${userId}`;

/**
 * Members' read positions. A client marks a room read as messages stream in, so a position is
 * kept here first and stored at most once a second per member and room (the latest winning), in
 * one statement for every position that moved; a member's positions are stored at once when one
 * of their connections closes, and all of them at shutdown. This process answers with the
 * positions it holds; the member's other connections learn of a move at once through `read`.
 */
@Injectable()
export class ReadState implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ReadState.name);
  private pending = new Map<string, ReadMark>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rooms: RoomsRepository,
    private readonly activity: RoomActivity,
    private readonly events: RoomEvents,
  ) {}

  /**
   * Moves the member's position to `lastReadId` (no further than the room's newest message,
   * never back) and tells their connections, with the counts from there.
   */
  async mark(auth: AuthUser, roomId: number, lastReadId: number): Promise<void> {
    const { lastReadId: stored, newestId: newest } = await this.activity.readingState(
      roomId,
      auth.id,
    );
    if (stored === null) {
      const access = await this.rooms.access(roomId, auth.id);
      if (!access || access.isPrivate) throw RoomsError.notFound(roomId);
      throw RoomsError.notAMember(roomId);
    }
    const target = Math.min(lastReadId, newest);
    if (target <= this.position(roomId, auth.id, stored)) return;
    this.pending.set(keyOf(roomId, auth.id), { roomId, userId: auth.id, lastReadId: target });
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
    // Read up to the newest message, as a reader keeping up does: nothing is left to count.
    const counts =
      target === newest
        ? NOTHING_UNREAD
        : (await this.activity.unreadCounts(auth.id, [{ roomId, lastReadId: target }])).get(
            roomId,
          )!;
    this.events.readMoved(auth.id, {
      room_id: roomId,
      last_read_id: target,
      unread_count: counts.unread,
      mention_count: counts.mentions,
    });
  }

  /** The member's position: the stored one, or the one waiting here if further. */
  position(roomId: number, userId: number, stored: number): number {
    return Math.max(stored, this.pending.get(keyOf(roomId, userId))?.lastReadId ?? 0);
  }

  /** Stores the positions waiting here: of one user (whose connection closed), or all. */
  async flush(userId?: number): Promise<void> {
    let marks: ReadMark[];
    if (userId === undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      marks = [...this.pending.values()];
      this.pending = new Map();
    } else {
      marks = [...this.pending.values()].filter((mark) => mark.userId === userId);
      for (const mark of marks) this.pending.delete(keyOf(mark.roomId, mark.userId));
    }
    if (marks.length === 0) return;
    try {
      await this.rooms.saveReadMarks(marks);
    } catch (error) {
      // Kept for the next flush, unless a later position arrived in the meantime.
      for (const mark of marks) {
        const key = keyOf(mark.roomId, mark.userId);
        if ((this.pending.get(key)?.lastReadId ?? 0) < mark.lastReadId) this.pending.set(key, mark);
      }
      this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
      this.logger.warn(`storing ${marks.length} read positions failed: ${String(error)}`);
    }
  }

  /** Before the store closes: nothing marked is lost. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
