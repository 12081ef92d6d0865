import type { DataSource } from 'typeorm';
import { isRowRefused } from '../common/errors/storage-errors';
import { BatchQueue } from '../database/batch-queue';
import type { RoomAccess, RoomKind, RoomRole } from '../rooms/room';
import { ChangeBatch, type ChangeWrites, type StoredPlaces } from './message-change-batch';
import type { MessageChange } from './message-changes';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './message-rows';
import type { ChangeResult } from './messages.repository';

/** Changes applied by one statement at most; the ones beyond wait for the next. */
const MAX_BATCH = 500;

/**
 * Times a batch is decided again for the messages another process changed between its read and
 * its write; each time, a change of that process has committed, so the cluster moves on.
 */
const MAX_ATTEMPTS = 10;

/**
 * What a batch's changes meet: the rooms as each user stands in them, and the messages with
 * their reaction rows. Read without locks; the write checks nothing changed since.
 */
const READ_TARGETS = `
  SELECT r.id, r.is_private, r.kind,
    COALESCE((SELECT json_object_agg(m.user_id, m.role) FROM room_members m
              WHERE m.room_id = r.id AND m.user_id = ANY($2::int[])), '{}'::json) AS roles
  FROM rooms r WHERE r.id = ANY($1::int[])`;

const READ_MESSAGES = `
  SELECT ${MESSAGE_COLUMNS},
    (SELECT json_build_array(
       COALESCE(json_object_agg(r.emoji, r.position), '{}'::json), COALESCE(max(r.seq), 0))
     FROM message_reactions r WHERE r.message_id = m.id) AS places
  FROM messages m JOIN users u ON u.id = m.user_id
  WHERE m.id = ANY($1::bigint[])`;

/**
 * One statement, so one round trip and its own commit, as for sends. It locks the batch's rooms
 * in id order (as sends do, so the two cannot deadlock) before any message gets its new
 * change_id, and holds the locks until the commit: change_ids follow commit order within a room.
 * A message is written only if its change_id is still the one the batch read (once the lock is
 * held, PostgreSQL checks the latest version of the row), and its reaction rows only with it;
 * the messages it answers are the ones written, and the others are decided again.
 */
const WRITE_CHANGES = `
  WITH locked AS (
    SELECT id FROM rooms WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE
  ), updated AS (
    UPDATE messages m
    SET content = t.content, edited_at = t.edited_at, deleted = t.deleted,
        mentions = t.mentions::int[], change_id = nextval('messages_change_id_seq')
    FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::text[], $6::timestamptz[], $7::boolean[],
        $16::text[])
      AS t(id, room_id, read_change_id, content, edited_at, deleted, mentions)
    JOIN locked ON locked.id = t.room_id
    WHERE m.id = t.id AND m.change_id = t.read_change_id
    RETURNING m.id, m.change_id
  ), removed AS (
    DELETE FROM message_reactions r
    USING unnest($8::bigint[], $9::int[], $10::text[]) AS d(message_id, user_id, emoji)
      JOIN updated ON updated.id = d.message_id
    WHERE r.message_id = d.message_id AND r.user_id = d.user_id AND r.emoji = d.emoji
  ), added AS (
    INSERT INTO message_reactions (message_id, user_id, emoji, position, seq)
    SELECT a.message_id, a.user_id, a.emoji, a.position, a.seq
    FROM unnest($11::bigint[], $12::int[], $13::text[], $14::int[], $15::int[])
      AS a(message_id, user_id, emoji, position, seq)
      JOIN updated ON updated.id = a.message_id
    ON CONFLICT (message_id, user_id, emoji)
      DO UPDATE SET position = EXCLUDED.position, seq = EXCLUDED.seq
  )
  SELECT id, change_id FROM updated`;

interface TargetRoom {
  id: number;
  is_private: boolean;
  kind: RoomKind;
  /** The roles of the batch's users who are members, by user id. */
  roles: Record<string, RoomRole>;
}

type PlacesRow = MessageRow & { places: [Record<string, number>, number] };

/**
 * Edits, deletions and reactions on PostgreSQL, grouped as sends are: the changes that arrive
 * while a batch is stored form the next, so a storm of reactions costs a share of one read and
 * one write each. A batch reads what it changes, decides each change by the rules every store
 * shares (ChangeBatch), and writes in one statement; one batch at a time, so that a process's
 * batches never undo each other's reads.
 */
export class MessagesTypeormChanges {
  private readonly queue = new BatchQueue<MessageChange, ChangeResult>(
    (batch) => this.applyBatch(batch),
    MAX_BATCH,
    1,
    isRowRefused,
  );

  constructor(private readonly db: DataSource) {}

  apply(change: MessageChange): Promise<ChangeResult> {
    return this.queue.add(change);
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  private async applyBatch(changes: MessageChange[]): Promise<ChangeResult[]> {
    const results: ChangeResult[] = new Array<ChangeResult>(changes.length);
    let open = changes.map((_, index) => index);
    for (let attempt = 1; open.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new Error(`messages kept changing under a batch of ${changes.length} changes`);
      }
      const batch = await this.decide(open.map((index) => changes[index]));
      const written = await this.write(batch.writes());
      const outcomes = batch.results(written);
      // A change to a message another process changed in between is decided again.
      open = open.filter((index, i) => {
        const stale =
          batch.wrote(changes[index].messageId) && !written.has(changes[index].messageId);
        if (!stale) results[index] = outcomes[i];
        return stale;
      });
    }
    return results;
  }

  private async decide(changes: MessageChange[]): Promise<ChangeBatch> {
    const [rooms, rows] = await Promise.all([
      this.db.query<TargetRoom[]>(READ_TARGETS, [
        [...new Set(changes.map((change) => change.roomId))],
        [...new Set(changes.map((change) => change.userId))],
      ]),
      this.db.query<PlacesRow[]>(READ_MESSAGES, [
        [...new Set(changes.map((change) => change.messageId))],
      ]),
    ]);
    const batch = new ChangeBatch(
      {
        room: roomAccess(rooms),
        messages: new Map(rows.map((row) => [Number(row.id), toMessage(row)])),
        places: new Map(rows.map((row) => [Number(row.id), placesOf(row)])),
      },
      new Date(),
    );
    batch.apply(changes);
    return batch;
  }

  /** Writes the batch; answers the new change_ids of the messages written. */
  private async write({
    reactionDeletes: gone,
    reactionUpserts: given,
    updates,
  }: ChangeWrites): Promise<Map<number, number>> {
    if (updates.length === 0) return new Map();
    const rows: { id: string; change_id: string }[] = await this.db.query(WRITE_CHANGES, [
      [...new Set(updates.map((message) => message.roomId))].sort((a, b) => a - b),
      updates.map((message) => message.id),
      updates.map((message) => message.roomId),
      updates.map((message) => message.changeId),
      updates.map((message) => message.content),
      updates.map((message) => message.editedAt),
      updates.map((message) => message.deleted),
      gone.map((key) => key.messageId),
      gone.map((key) => key.userId),
      gone.map((key) => key.emoji),
      given.map((row) => row.messageId),
      given.map((row) => row.userId),
      given.map((row) => row.emoji),
      given.map((row) => row.position),
      given.map((row) => row.seq),
      // An array per message: as a literal ("{1,2}"), since unnest would flatten a 2-D array.
      updates.map((message) => `{${message.mentions.join(',')}}`),
    ]);
    return new Map(rows.map((row) => [Number(row.id), Number(row.change_id)]));
  }
}

function roomAccess(
  rooms: readonly TargetRoom[],
): (roomId: number, userId: number) => RoomAccess | null {
  const byId = new Map(rooms.map((room) => [room.id, room]));
  return (roomId, userId) => {
    const room = byId.get(roomId);
    if (!room) return null;
    const role = room.roles[userId] ?? null;
    return { isPrivate: room.is_private, isMember: role !== null, role, kind: room.kind };
  };
}

function placesOf({ places: [positions, lastSeq] }: PlacesRow): StoredPlaces {
  return { positions: new Map(Object.entries(positions)), lastSeq };
}
