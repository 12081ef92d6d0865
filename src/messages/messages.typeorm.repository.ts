import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { HistoryPage, Message, NewMessage } from './message';
import { MessagesRepository, StoredMessage } from './messages.repository';

interface MessageRow {
  id: string;
  room_id: number;
  user_id: number;
  username: string;
  content: string;
  created_at: Date;
  client_msg_id: string | null;
}

const MESSAGE_COLUMNS = `m.id, m.room_id, m.user_id, u.username, m.content, m.created_at, m.client_msg_id`;

@Injectable()
export class MessagesTypeormRepository extends MessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async create(input: NewMessage): Promise<StoredMessage> {
    // One statement, so one round trip: it takes the room's row lock, inserts, and commits.
    // Senders to one room take turns on that lock until they commit, so ids are handed out in
    // commit order and a reader paging with `after` cannot miss a message that commits late;
    // clock_timestamp() (not the statement's start) keeps created_at in the same order.
    const inserted: { id: string; created_at: Date }[] = await this.db.query(
      `WITH room AS (SELECT id FROM rooms WHERE id = $1 FOR NO KEY UPDATE)
       INSERT INTO messages (room_id, user_id, content, client_msg_id, created_at)
       SELECT room.id, $2, $3, $4, clock_timestamp() FROM room
       ON CONFLICT (user_id, client_msg_id) DO NOTHING
       RETURNING id, created_at`,
      [input.roomId, input.userId, input.content, input.clientMsgId],
    );
    if (inserted.length > 0) {
      const [{ id, created_at }] = inserted;
      return { message: { ...input, id: Number(id), createdAt: created_at }, created: true };
    }
    const stored =
      input.clientMsgId === null
        ? null
        : await this.findByClientMsgId(input.userId, input.clientMsgId);
    if (!stored) throw new Error(`room ${input.roomId} vanished while a message was stored`);
    return { message: stored, created: false };
  }

  async findByClientMsgId(userId: number, clientMsgId: string): Promise<Message | null> {
    const rows: MessageRow[] = await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.user_id
       WHERE m.user_id = $1 AND m.client_msg_id = $2`,
      [userId, clientMsgId],
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
}

function toMessage(row: MessageRow): Message {
  return {
    id: Number(row.id),
    roomId: row.room_id,
    userId: row.user_id,
    username: row.username,
    content: row.content,
    createdAt: row.created_at,
    clientMsgId: row.client_msg_id,
  };
}
