import { NO_MENTIONS, NO_REACTIONS, type Message, type NewMessage } from './message';
import type { StoredMessage } from './messages.repository';

/** A row the batched INSERT ... RETURNING answered. */
export interface InsertedRow {
  /** bigint, read as a string by pg. */
  id: string;
  room_id: number;
  user_id: number;
  client_msg_id: string | null;
  created_at: Date;
  /** bigint, read as a string by pg. */
  change_id: string;
}

/**
 * What a send of the batch came to:
 * - `stored`: inserted, or a repeat of a client_msg_id an earlier send of the batch stored;
 * - `refused`: its sender may not post to the room;
 * - `look_up`: not inserted, and no earlier send of the batch stored its client_msg_id: it repeats
 *   a message stored before the batch, or its sender may not post there. A look-up tells.
 */
export type BatchOutcome =
  { kind: 'stored'; stored: StoredMessage } | { kind: 'refused' } | { kind: 'look_up' };

const REFUSED: BatchOutcome = { kind: 'refused' };
const LOOK_UP: BatchOutcome = { kind: 'look_up' };
const stored = (message: Message, created: boolean): BatchOutcome => ({
  kind: 'stored',
  stored: { message, created },
});

/**
 * Matches the rows a batch inserted back to its sends, in the batch's order, as if the sends had
 * run one after another. RETURNING gives no row numbers, so a row is found by
 * (user_id, client_msg_id), which is unique, or, for sends without client_msg_id, by order within
 * its (room, user): membership is the same for all of them, so they were all inserted, in batch
 * order (ascending ids), or none was.
 */
export function outcomesOf(
  batch: readonly NewMessage[],
  rows: readonly InsertedRow[],
): BatchOutcome[] {
  const keyed = new Map<string, InsertedRow>();
  const unkeyed = new Map<string, InsertedRow[]>();
  for (const row of [...rows].sort((a, b) => Number(a.id) - Number(b.id))) {
    if (row.client_msg_id === null) {
      const key = senderKey(row.room_id, row.user_id);
      const rowsOfSender = unkeyed.get(key);
      if (rowsOfSender) rowsOfSender.push(row);
      else unkeyed.set(key, [row]);
    } else {
      keyed.set(clientMsgIdKey(row.user_id, row.client_msg_id), row);
    }
  }
  /** Messages stored by earlier sends of this batch, by (user, client_msg_id). */
  const storedInBatch = new Map<string, Message>();

  return batch.map((input): BatchOutcome => {
    if (input.clientMsgId === null) {
      const row = unkeyed.get(senderKey(input.roomId, input.userId))?.shift();
      return row ? stored(toMessage(input, row), true) : REFUSED;
    }
    const key = clientMsgIdKey(input.userId, input.clientMsgId);
    const earlier = storedInBatch.get(key);
    if (earlier) return stored(earlier, false);
    const row = keyed.get(key);
    if (!row) return LOOK_UP;
    // A later send of the batch stored this client_msg_id in another room, where its sender is a
    // member: this one was skipped because its sender is not a member of its own room.
    if (row.room_id !== input.roomId) return REFUSED;
    const message = toMessage(input, row);
    storedInBatch.set(key, message);
    return stored(message, true);
  });
}

function senderKey(roomId: number, userId: number): string {
  return `${roomId}:${userId}`;
}

function clientMsgIdKey(userId: number, clientMsgId: string): string {
  return `${userId}:${clientMsgId}`;
}

function toMessage(input: NewMessage, row: InsertedRow): Message {
  return {
    id: Number(row.id),
    roomId: input.roomId,
    userId: input.userId,
    username: input.username,
    content: input.content,
    createdAt: row.created_at,
    clientMsgId: input.clientMsgId,
    replyTo: input.replyTo,
    editedAt: null,
    deleted: false,
    reactions: NO_REACTIONS,
    changeId: Number(row.change_id),
    mentions: input.mentions.length === 0 ? NO_MENTIONS : input.mentions,
  };
}
