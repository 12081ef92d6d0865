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
    return this.db.transaction(async (tx) => {
      // Senders to one room take turns on the room's row until they commit, so ids are handed out
      // in commit order and a reader paging with `after` cannot miss a message that commits late.
      await tx.query('SELECT 1 FROM rooms WHERE id = $1 FOR NO KEY UPDATE', [input.roomId]);
      const inserted: { id: string; created_at: Date }[] = await tx.query(
        `INSERT INTO messages (room_id, user_id, content, client_msg_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, client_msg_id) DO NOTHING RETURNING id, created_at`,
        [input.roomId, input.userId, input.content, input.clientMsgId],
      );
      if (inserted.length > 0) {
        const [{ id, created_at }] = inserted;
        return { message: { ...input, id: Number(id), createdAt: created_at }, created: true };
      }
      const stored = await this.findByClientMsgId(input.userId, input.clientMsgId!, tx);
      return { message: stored!, created: false };
    });
  }

  async findByClientMsgId(
    userId: number,
    clientMsgId: string,
    db: Pick<DataSource, 'query'> = this.db,
  ): Promise<Message | null> {
    const rows: MessageRow[] = await db.query(
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
