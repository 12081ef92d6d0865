import type { DataSource, EntityManager } from 'typeorm';
import { isRowRefused } from '../common/errors/storage-errors';
import { BatchQueue } from '../database/batch-queue';
import type { RoomAccess } from '../rooms/room';
import { ChangeBatch, type ChangeWrites } from './message-change-batch';
import type { MessageChange } from './message-changes';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './message-rows';
import type { ChangeResult } from './messages.repository';

/** Changes applied by one transaction at most; the ones beyond wait for the next. */
const MAX_BATCH = 500;
/** As for sends: a second batch gets ready while the first commits. */
const BATCHES_IN_FLIGHT = 2;

/**
 * Locks the batch's rooms in id order (as sends do, so the two cannot deadlock), and reads who of
 * the batch is a member of each. Every change to a room's messages holds this lock until its
 * commit, so change_ids drawn under it follow commit order within the room.
 */
const LOCK_ROOMS = `
  SELECT r.id, r.is_private, r.created_by,
    ARRAY(SELECT m.user_id FROM room_members m
          WHERE m.room_id = r.id AND m.user_id = ANY($2::int[])) AS member_ids
  FROM rooms r WHERE r.id = ANY($1::int[]) ORDER BY r.id FOR NO KEY UPDATE OF r`;

/** A statement of its own, after the lock: it sees every change committed before it. */
const READ_MESSAGES = `
  SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.user_id
  WHERE m.id = ANY($1::bigint[])`;

const DELETE_REACTIONS = `
  DELETE FROM message_reactions r
  USING unnest($1::bigint[], $2::int[], $3::text[]) AS t(message_id, user_id, emoji)
  WHERE r.message_id = t.message_id AND r.user_id = t.user_id AND r.emoji = t.emoji`;

/**
 * New reactions get their ids in the order given, which orders the users of an emoji. A SELECT
 * at the top, so that the driver answers the rows alone.
 */
const WRITE_CHANGES = `
  WITH added AS (
    INSERT INTO message_reactions (message_id, user_id, emoji, position)
    SELECT t.message_id, t.user_id, t.emoji, t.position
    FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[])
      WITH ORDINALITY AS t(message_id, user_id, emoji, position, ord)
    ORDER BY t.ord
  ), updated AS (
    UPDATE messages m
    SET content = t.content, edited_at = t.edited_at, deleted = t.deleted,
        change_id = nextval('messages_change_id_seq')
    FROM unnest($5::bigint[], $6::text[], $7::timestamptz[], $8::boolean[])
      AS t(id, content, edited_at, deleted)
    WHERE m.id = t.id
    RETURNING m.id, m.change_id
  )
  SELECT id, change_id FROM updated`;

interface LockedRoom {
  id: number;
  is_private: boolean;
  created_by: number | null;
  member_ids: number[];
}

/**
 * Edits, deletions and reactions on PostgreSQL, committed in groups as sends are: the changes that
 * arrive while a batch is stored form the next, so a storm of reactions costs a share of one
 * transaction each. A batch reads what it changes under its rooms' locks and decides each change
 * by the rules every store shares (ChangeBatch).
 */
export class MessagesTypeormChanges {
  private readonly queue = new BatchQueue<MessageChange, ChangeResult>(
    (batch) => this.db.transaction((manager) => this.applyBatch(manager, batch)),
    MAX_BATCH,
    BATCHES_IN_FLIGHT,
    isRowRefused,
  );

  constructor(private readonly db: DataSource) {}

  apply(change: MessageChange): Promise<ChangeResult> {
    return this.queue.add(change);
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  private async applyBatch(
    manager: EntityManager,
    changes: MessageChange[],
  ): Promise<ChangeResult[]> {
    const rooms: LockedRoom[] = await manager.query(LOCK_ROOMS, [
      [...new Set(changes.map((change) => change.roomId))].sort((a, b) => a - b),
      [...new Set(changes.map((change) => change.userId))],
    ]);
    const rows: MessageRow[] = await manager.query(READ_MESSAGES, [
      [...new Set(changes.map((change) => change.messageId))],
    ]);
    const batch = new ChangeBatch(
      {
        room: roomAccess(rooms),
        messages: new Map(rows.map((row) => [Number(row.id), toMessage(row)])),
        positions: new Map(rows.map((row) => [Number(row.id), positionsOf(row)])),
      },
      new Date(),
    );
    batch.apply(changes);
    const changeIds = await this.write(manager, batch.writes());
    return batch.results(changeIds);
  }

  /** Writes the batch's rows; answers the changed messages' new change_ids. */
  private async write(manager: EntityManager, writes: ChangeWrites): Promise<Map<number, number>> {
    const { reactionDeletes: gone, reactionInserts: added, updates } = writes;
    if (updates.length === 0) return new Map();
    // Before the inserts, in a statement of its own: a reaction taken back and given again in
    // the batch is deleted, then inserted anew.
    if (gone.length > 0) {
      await manager.query(DELETE_REACTIONS, [
        gone.map((key) => key.messageId),
        gone.map((key) => key.userId),
        gone.map((key) => key.emoji),
      ]);
    }
    const changed: { id: string; change_id: string }[] = await manager.query(WRITE_CHANGES, [
      added.map((row) => row.messageId),
      added.map((row) => row.userId),
      added.map((row) => row.emoji),
      added.map((row) => row.position),
      updates.map((message) => message.id),
      updates.map((message) => message.content),
      updates.map((message) => message.editedAt),
      updates.map((message) => message.deleted),
    ]);
    return new Map(changed.map((row) => [Number(row.id), Number(row.change_id)]));
  }
}

function roomAccess(
  rooms: readonly LockedRoom[],
): (roomId: number, userId: number) => RoomAccess | null {
  const byId = new Map(rooms.map((room) => [room.id, room]));
  return (roomId, userId) => {
    const room = byId.get(roomId);
    if (!room) return null;
    return {
      isPrivate: room.is_private,
      isMember: room.member_ids.includes(userId),
      ownerId: room.created_by,
    };
  };
}

function positionsOf(row: MessageRow): Map<string, number> {
  return new Map((row.reactions ?? []).map(([emoji, , position]) => [emoji, position]));
}
