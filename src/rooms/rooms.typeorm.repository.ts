import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NewRoom, Room, RoomAccess } from './room';
import { RoomsRepository } from './rooms.repository';

interface RoomRow {
  id: number;
  name: string;
  description: string;
  is_private: boolean;
  created_by: number | null;
  created_at: Date;
  member_count: number;
}

const ROOM_COLUMNS = `r.id, r.name, r.description, r.is_private, r.created_by, r.created_at,
  (SELECT count(*) FROM room_members m WHERE m.room_id = r.id)::int AS member_count`;

@Injectable()
export class RoomsTypeormRepository extends RoomsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async create(room: NewRoom): Promise<Room | null> {
    return this.db.transaction(async (tx) => {
      // No room may take a public room's name; among public rooms, ON CONFLICT lets the unique
      // index on lower(name) settle concurrent creations. Private rooms' names block nothing.
      const inserted: { id: number }[] = await tx.query(
        `INSERT INTO rooms (name, description, is_private, created_by)
         SELECT $1::varchar, $2::varchar, $3::boolean, $4::int
         WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE lower(name) = lower($1) AND NOT is_private)
         ON CONFLICT DO NOTHING RETURNING id`,
        [room.name, room.description, room.isPrivate, room.createdBy],
      );
      if (inserted.length === 0) return null;
      if (room.createdBy !== null) {
        await tx.query('INSERT INTO room_members (room_id, user_id) VALUES ($1, $2)', [
          inserted[0].id,
          room.createdBy,
        ]);
      }
      const rows: RoomRow[] = await tx.query(
        `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1`,
        [inserted[0].id],
      );
      return toRoom(rows[0]);
    });
  }

  async findById(id: number): Promise<Room | null> {
    const rows: RoomRow[] = await this.db.query(
      `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1`,
      [id],
    );
    return rows.length ? toRoom(rows[0]) : null;
  }

  async findPublicByName(name: string): Promise<Room | null> {
    const rows: RoomRow[] = await this.db.query(
      `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE lower(r.name) = lower($1) AND NOT r.is_private`,
      [name],
    );
    return rows.length ? toRoom(rows[0]) : null;
  }

  async listVisibleTo(userId: number | null): Promise<Room[]> {
    const rows: RoomRow[] = await this.db.query(
      `SELECT ${ROOM_COLUMNS} FROM rooms r
       WHERE NOT r.is_private
          OR EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.user_id = $1)
       ORDER BY r.id`,
      [userId],
    );
    return rows.map(toRoom);
  }

  async access(roomId: number, userId: number | null): Promise<RoomAccess | null> {
    const rows: { is_private: boolean; is_member: boolean; created_by: number | null }[] =
      await this.db.query(
        `SELECT r.is_private, r.created_by,
              EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.user_id = $2)
                AS is_member
       FROM rooms r WHERE r.id = $1`,
        [roomId, userId],
      );
    if (rows.length === 0) return null;
    const [row] = rows;
    return { isPrivate: row.is_private, isMember: row.is_member, ownerId: row.created_by };
  }

  async addMember(roomId: number, userId: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO room_members (room_id, user_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING room_id`,
      [roomId, userId],
    );
    return rows.length > 0;
  }

  async removeMember(roomId: number, userId: number): Promise<boolean> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, deleted]: [unknown[], number] = await this.db.query(
      'DELETE FROM room_members WHERE room_id = $1 AND user_id = $2',
      [roomId, userId],
    );
    return deleted > 0;
  }

  async memberIds(roomId: number): Promise<number[]> {
    const rows: { user_id: number }[] = await this.db.query(
      'SELECT user_id FROM room_members WHERE room_id = $1 ORDER BY joined_at, user_id',
      [roomId],
    );
    return rows.map((row) => row.user_id);
  }

  async roomIdsOf(userId: number): Promise<number[]> {
    const rows: { room_id: number }[] = await this.db.query(
      'SELECT room_id FROM room_members WHERE user_id = $1 ORDER BY room_id',
      [userId],
    );
    return rows.map((row) => row.room_id);
  }
}

function toRoom(row: RoomRow): Room {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isPrivate: row.is_private,
    createdBy: row.created_by,
    createdAt: row.created_at,
    memberCount: row.member_count,
  };
}
