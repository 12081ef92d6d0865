import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BatchQueue } from '../database/batch-queue';
import { isRowRefused } from '../common/errors/storage-errors';
import type { ReadPosition } from '../rooms/room';
import { UNREAD_COUNT_LIMIT, type ReadingState, type UnreadCounts } from '../rooms/room-activity';
import type { HistoryPage, Message, NewMessage } from './message';
import { BatchOutcome, InsertedRow, outcomesOf } from './message-batch-outcomes';
import type { MessageChange } from './message-changes';
import { MessagesTypeormChanges } from './messages.typeorm.changes';
import { searchMessages } from './messages.typeorm.search';
import { MESSAGE_COLUMNS, MessageRow, toMessage } from './message-rows';
import {
  MessagesRepository,
  type ChangeResult,
  type MessageSearch,
  type StoredMessage,
} from './messages.repository';

/** A reader's unread counts in one room, from a read position. */
interface UnreadAsked extends ReadPosition {
  userId: number;
}

/** Reading states, or single rooms' counts, asked by one statement at most. */
const MAX_READING_STATES = 1_000;

/** Sends stored by one statement at most; the ones beyond wait for the next. */
const MAX_BATCH = 1_000;

/**
 * Groups stored at the same time. A second one runs while the first waits for its commit to reach
 * the disk; where they share rooms, the room locks make it wait for that commit before its rows get
 * ids, so ids still follow commit order.
 */
const GROUPS_IN_FLIGHT = 2;

/**
 * One statement, so one round trip and its own commit. It locks the batch's rooms in id order, so
 * two batches (of two nodes) that share rooms take turns and cannot deadlock; a row is produced
 * only through its room's locked row, so the lock is held before the row gets its id, until the
 * commit: ids follow commit order within a room, and a reader paging with `after` cannot miss a
 * message that commits late. Rows are inserted in batch order, each only if its sender is a
 * member of its room (a missing room has no members, and no row to lock). change_id is drawn the
 * same way, by the column's default. A client_msg_id stored
 * before, or earlier in the batch, is skipped. clock_timestamp() (not the statement's start) keeps
 * created_at in id order.
 */
const INSERT_BATCH = `
  WITH locked AS (
    SELECT id FROM rooms WHERE id = ANY($5::int[]) ORDER BY id FOR NO KEY UPDATE
  )
  INSERT INTO messages (room_id, user_id, content, client_msg_id, reply_to, mentions, created_at)
  SELECT t.room_id, t.user_id, t.content, t.client_msg_id, t.reply_to, t.mentions::int[],
    clock_timestamp()
  FROM unnest($1::int[], $2::int[], $3::text[], $4::varchar[], $6::bigint[], $7::text[])
    WITH ORDINALITY AS t(room_id, user_id, content, client_msg_id, reply_to, mentions, ord)
  JOIN locked ON locked.id = t.room_id
  WHERE EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = t.room_id AND m.user_id = t.user_id)
  ORDER BY t.ord
  ON CONFLICT (user_id, client_msg_id) DO NOTHING
  RETURNING id, room_id, user_id, client_msg_id, created_at, change_id`;

/**
 * Sends are committed in groups: the sends that arrive while earlier groups are being stored form
 * the next one, so each costs a share of one statement and its commit. A send resolves once its
 * group has committed. A group that fails because the database refused a row is stored again one
 * send at a time, so that only the refused send fails; any other failure fails the whole group.
 */
@Injectable()
export class MessagesTypeormRepository
  extends MessagesRepository
  implements BeforeApplicationShutdown
{
  private readonly inserts = new BatchQueue<NewMessage, BatchOutcome>(
    (batch) => this.insertBatch(batch),
    MAX_BATCH,
    GROUPS_IN_FLIGHT,
    isRowRefused,
  );

  private readonly changes: MessagesTypeormChanges;

  /**
   * Readers of a busy room mark each new message read at about the same moment: their questions
   * wait for the one in flight and go together in the next statement.
   */
  private readonly readingStates = new BatchQueue<{ roomId: number; userId: number }, ReadingState>(
    (asked) => this.readingStatesOf(asked),
    MAX_READING_STATES,
  );

  /** Single rooms' unread counts asked at the same time, counted by one statement. */
  private readonly singleCounts = new BatchQueue<UnreadAsked, UnreadCounts>(
    (asked) => this.countsOf(asked),
    MAX_READING_STATES,
  );

  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
    this.changes = new MessagesTypeormChanges(db);
  }

  async create(input: NewMessage): Promise<StoredMessage | null> {
    const outcome = await this.inserts.add(input);
    switch (outcome.kind) {
      case 'stored':
        return outcome.stored;
      case 'refused':
        return null;
      case 'look_up':
        break;
    }
    // Outside the batch, so that the rare repeat does not hold up the next one.
    const stored = await this.findByClientMsgId(input.userId, input.clientMsgId!);
    return stored && { message: stored, created: false };
  }

  /**
   * Runs after the real-time commands have drained and before the DataSource closes: every send
   * queued by then is stored and answered, none is dropped.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.inserts.drain(), this.changes.drain()]);
  }

  change(change: MessageChange): Promise<ChangeResult> {
    return this.changes.apply(change);
  }

  async findByClientMsgId(userId: number, clientMsgId: string): Promise<Message | null> {
    const rows: MessageRow[] = await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.user_id
       WHERE m.user_id = $1 AND m.client_msg_id = $2`,
      [userId, clientMsgId],
    );
    return rows.length > 0 ? toMessage(rows[0]) : null;
  }

  async findInRoom(roomId: number, id: number): Promise<Message | null> {
    const rows: MessageRow[] = await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.user_id
       WHERE m.room_id = $1 AND m.id = $2`,
      [roomId, id],
    );
    return rows.length > 0 ? toMessage(rows[0]) : null;
  }

  async list(roomId: number, { limit, before, after }: HistoryPage): Promise<Message[]> {
    const conditions = ['m.room_id = $1'];
    const parameters: unknown[] = [roomId];
    if (after !== undefined) conditions.push(`m.id > $${parameters.push(after)}`);
    if (before !== undefined) conditions.push(`m.id < $${parameters.push(before)}`);
    // Catching up (after) reads forwards from the oldest; otherwise backwards from the newest.
    const direction = after === undefined ? 'DESC' : 'ASC';
    const rows: MessageRow[] = await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.user_id
       WHERE ${conditions.join(' AND ')} ORDER BY m.id ${direction} LIMIT $${parameters.push(limit)}`,
      parameters,
    );
    const messages = rows.map(toMessage);
    return direction === 'DESC' ? messages.reverse() : messages;
  }

  async listChanged(roomId: number, changedAfter: number, limit: number): Promise<Message[]> {
    const rows: MessageRow[] = await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.user_id
       WHERE m.room_id = $1 AND m.change_id > $2 ORDER BY m.change_id LIMIT $3`,
      [roomId, changedAfter, limit],
    );
    return rows.map(toMessage);
  }

  /** Nothing left to do: deleting the room took its messages (ON DELETE CASCADE). */
  async forgetRoom(): Promise<void> {}

  async newestMessageId(roomId: number): Promise<number> {
    const rows: { id: string | null }[] = await this.db.query(
      'SELECT max(id) AS id FROM messages WHERE room_id = $1',
      [roomId],
    );
    return Number(rows[0].id ?? 0);
  }

  /**
   * Each count reads at most UNREAD_COUNT_LIMIT index entries per room: the messages after the
   * position (messages_room_id_id_idx), and the reader's mentions (message_mentions' key).
   */
  readingState(roomId: number, userId: number): Promise<ReadingState> {
    return this.readingStates.add({ roomId, userId });
  }

  /** One statement for the reading states asked for at the same time. */
  private async readingStatesOf(
    asked: readonly { roomId: number; userId: number }[],
  ): Promise<ReadingState[]> {
    const rows: { last_read_id: string | null; newest_id: string | null }[] = await this.db.query(
      `SELECT m.last_read_id,
         (SELECT max(n.id) FROM messages n WHERE n.room_id = t.room_id) AS newest_id
       FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS t(room_id, user_id, ord)
       LEFT JOIN room_members m ON m.room_id = t.room_id AND m.user_id = t.user_id
       ORDER BY t.ord`,
      [asked.map((one) => one.roomId), asked.map((one) => one.userId)],
    );
    return rows.map((row) => ({
      lastReadId: row.last_read_id === null ? null : Number(row.last_read_id),
      newestId: Number(row.newest_id ?? 0),
    }));
  }

  /**
   * A listing's counts are one statement of their own; a single room's (a mark's `read` event)
   * waits to go with the others asked at the same time, as readers of a busy room all ask at once.
   */
  async unreadCounts(
    userId: number,
    positions: readonly ReadPosition[],
  ): Promise<Map<number, UnreadCounts>> {
    const asked = positions.map((position) => ({ userId, ...position }));
    const counts =
      asked.length === 1 ? [await this.singleCounts.add(asked[0])] : await this.countsOf(asked);
    return new Map(positions.map((position, index) => [position.roomId, counts[index]]));
  }

  /**
   * Each count reads at most UNREAD_COUNT_LIMIT index entries: the room's messages after the
   * position (messages_room_id_id_idx, which includes user_id and deleted), and the reader's
   * mentions (message_mentions' key).
   */
  private async countsOf(asked: readonly UnreadAsked[]): Promise<UnreadCounts[]> {
    if (asked.length === 0) return [];
    const rows: { unread: number; mentions: number }[] = await this.db.query(
      `SELECT
         (SELECT count(*) FROM (
            SELECT 1 FROM messages m
            WHERE m.room_id = p.room_id AND m.id > p.last_read_id
              AND m.user_id <> p.user_id AND NOT m.deleted
            LIMIT $4) unread)::int AS unread,
         (SELECT count(*) FROM (
            SELECT 1 FROM message_mentions n
            WHERE n.user_id = p.user_id AND n.room_id = p.room_id
              AND n.message_id > p.last_read_id
            LIMIT $4) named)::int AS mentions
       FROM unnest($1::int[], $2::int[], $3::bigint[]) WITH ORDINALITY
         AS p(user_id, room_id, last_read_id, ord)
       ORDER BY p.ord`,
      [
        asked.map((one) => one.userId),
        asked.map((one) => one.roomId),
        asked.map((one) => one.lastReadId),
        UNREAD_COUNT_LIMIT,
      ],
    );
    return rows.map((row) => ({ unread: row.unread, mentions: row.mentions }));
  }

  search(search: MessageSearch): Promise<Message[]> {
    return searchMessages(this.db, search);
  }

  private async insertBatch(batch: NewMessage[]): Promise<BatchOutcome[]> {
    const roomIds = [...new Set(batch.map((input) => input.roomId))].sort((a, b) => a - b);
    const rows: InsertedRow[] = await this.db.query(INSERT_BATCH, [
      batch.map((input) => input.roomId),
      batch.map((input) => input.userId),
      batch.map((input) => input.content),
      batch.map((input) => input.clientMsgId),
      roomIds,
      batch.map((input) => input.replyTo),
      // An array per message: as a literal ("{1,2}"), since unnest would flatten a 2-D array.
      batch.map((input) => `{${input.mentions.join(',')}}`),
    ]);
    return outcomesOf(batch, rows);
  }
}
