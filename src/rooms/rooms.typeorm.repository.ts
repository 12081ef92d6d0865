import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  Membership,
  NewRoom,
  ReadMark,
  Room,
  RoomAccess,
  RoomChanges,
  RoomKind,
  RoomMember,
  RoomRole,
} from './room';
import { RoomsRepository, type DirectRoom, type RoomUpdate } from './rooms.repository';

interface RoomRow {
  id: number;
  name: string;
  description: string;
  is_private: boolean;
  kind: RoomKind;
  direct_key: string | null;
  created_by: number | null;
  created_at: Date;
  member_count: number;
  /** Only in update's answer: whether the row is the updated one. */
  updated?: boolean;
}

/** PostgreSQL's error code for a unique index refusing a row. */
const UNIQUE_VIOLATION = '23505';

const ROOM_COLUMNS = `r.id, r.name, r.description, r.is_private, r.kind, r.direct_key,
  r.created_by, r.created_at,
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
        await tx.query(
          `INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, 'owner')`,
          [inserted[0].id, room.createdBy],
        );
      }
      const rows: RoomRow[] = await tx.query(
        `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1`,
        [inserted[0].id],
      );
      return toRoom(rows[0]);
    });
  }

  async findOrCreateDirect(userIds: readonly number[]): Promise<DirectRoom> {
    const key = userIds.join(':');
    return this.db.transaction(async (tx) => {
      // The unique index on direct_key settles two users asking at once: one inserts, the
      // other finds it (its ON CONFLICT waits for the first to commit).
      const inserted: { id: number }[] = await tx.query(
        `INSERT INTO rooms (name, description, is_private, kind, direct_key)
         VALUES ('', '', true, 'direct', $1)
         ON CONFLICT (direct_key) WHERE direct_key IS NOT NULL DO NOTHING RETURNING id`,
        [key],
      );
      if (inserted.length > 0) {
        await tx.query(`INSERT INTO room_members (room_id, user_id) SELECT $1, unnest($2::int[])`, [
          inserted[0].id,
          userIds,
        ]);
      }
      const rows: RoomRow[] = await tx.query(
        `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.direct_key = $1`,
        [key],
      );
      return { room: toRoom(rows[0]), created: inserted.length > 0 };
    });
  }

  async findById(id: number): Promise<Room | null> {
    const rows: RoomRow[] = await this.db.query(
      `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1`,
      [id],
    );
    return rows.length ? toRoom(rows[0]) : null;
  }

  async findByIds(ids: readonly number[]): Promise<Room[]> {
    if (ids.length === 0) return [];
    const rows: RoomRow[] = await this.db.query(
      `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = ANY($1::int[]) ORDER BY r.id`,
      [[...new Set(ids)]],
    );
    return rows.map(toRoom);
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

  async update(roomId: number, changes: RoomChanges): Promise<RoomUpdate> {
    // As in create, no other room may hold a public room's name; the unique index on lower(name)
    // settles two renames to the same name at once.
    try {
      const rows: RoomRow[] = await this.db.query(
        `WITH updated AS (
           UPDATE rooms r SET name = COALESCE($2, r.name), description = COALESCE($3, r.description)
           WHERE r.id = $1 AND ($2::varchar IS NULL OR NOT EXISTS (
             SELECT 1 FROM rooms o WHERE lower(o.name) = lower($2) AND NOT o.is_private AND o.id <> $1))
           RETURNING r.*
         )
         SELECT ${ROOM_COLUMNS}, true AS updated FROM updated r
         UNION ALL
         SELECT ${ROOM_COLUMNS}, false FROM rooms r WHERE r.id = $1 AND NOT EXISTS (SELECT 1 FROM updated)`,
        [roomId, changes.name ?? null, changes.description ?? null],
      );
      if (rows.length === 0) return { kind: 'not_found' };
      return rows[0].updated ? { kind: 'updated', room: toRoom(rows[0]) } : { kind: 'name_taken' };
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return { kind: 'name_taken' };
      throw error;
    }
  }

  async delete(roomId: number): Promise<number[]> {
    return this.db.transaction(async (tx) => {
      // The lock on the room makes a join wait (its insert checks the room exists), so no one
      // joins after the members are read; the foreign keys take members, bans and messages.
      const found: unknown[] = await tx.query('SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE', [
        roomId,
      ]);
      if (found.length === 0) return [];
      const members: { user_id: number }[] = await tx.query(
        'SELECT user_id FROM room_members WHERE room_id = $1',
        [roomId],
      );
      await tx.query('DELETE FROM rooms WHERE id = $1', [roomId]);
      return members.map((row) => row.user_id);
    });
  }

  async access(roomId: number, userId: number | null): Promise<RoomAccess | null> {
    const rows: { is_private: boolean; role: RoomRole | null; kind: RoomKind }[] =
      await this.db.query(
        `SELECT r.is_private, r.kind,
                (SELECT m.role FROM room_members m WHERE m.room_id = r.id AND m.user_id = $2)
                  AS role
         FROM rooms r WHERE r.id = $1`,
        [roomId, userId],
      );
    if (rows.length === 0) return null;
    const [row] = rows;
    return {
      isPrivate: row.is_private,
      isMember: row.role !== null,
      role: row.role,
      kind: row.kind,
    };
  }

  async addMember(roomId: number, userId: number, lastReadId: number): Promise<boolean> {
    // The ban's absence is checked in the statement: a ban that commits first keeps them out,
    // and a ban that comes after removes them.
    const rows: unknown[] = await this.db.query(
      `INSERT INTO room_members (room_id, user_id, last_read_id, role)
       SELECT r.id, $2, $3, CASE WHEN r.created_by = $2 THEN 'owner' ELSE 'member' END
       FROM rooms r
       WHERE r.id = $1
         AND NOT EXISTS (SELECT 1 FROM room_bans b WHERE b.room_id = $1 AND b.user_id = $2)
       ON CONFLICT DO NOTHING RETURNING room_id`,
      [roomId, userId, lastReadId],
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

  async membersOf(roomId: number): Promise<RoomMember[]> {
    const rows: { user_id: number; role: RoomRole; last_read_id: string }[] = await this.db.query(
      `SELECT user_id, role, last_read_id FROM room_members WHERE room_id = $1
       ORDER BY joined_at, user_id`,
      [roomId],
    );
    return rows.map((row) => ({
      userId: row.user_id,
      role: row.role,
      lastReadId: Number(row.last_read_id),
    }));
  }

  async setRole(roomId: number, userId: number, role: RoomRole): Promise<boolean> {
    const [, updated]: [unknown[], number] = await this.db.query(
      'UPDATE room_members SET role = $3 WHERE room_id = $1 AND user_id = $2',
      [roomId, userId, role],
    );
    return updated > 0;
  }

  async ban(roomId: number, userId: number, bannedBy: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO room_bans (room_id, user_id, banned_by) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [roomId, userId, bannedBy],
      );
      const [, removed]: [unknown[], number] = await tx.query(
        'DELETE FROM room_members WHERE room_id = $1 AND user_id = $2',
        [roomId, userId],
      );
      return removed > 0;
    });
  }

  async unban(roomId: number, userId: number): Promise<boolean> {
    const [, deleted]: [unknown[], number] = await this.db.query(
      'DELETE FROM room_bans WHERE room_id = $1 AND user_id = $2',
      [roomId, userId],
    );
    return deleted > 0;
  }

  async isBanned(roomId: number, userId: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM room_bans WHERE room_id = $1 AND user_id = $2',
      [roomId, userId],
    );
    return rows.length > 0;
  }

  async bannedIds(roomId: number): Promise<number[]> {
    const rows: { user_id: number }[] = await this.db.query(
      'SELECT user_id FROM room_bans WHERE room_id = $1 ORDER BY created_at DESC, user_id',
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

  async readPosition(roomId: number, userId: number): Promise<number | null> {
    const rows: { last_read_id: string }[] = await this.db.query(
      'SELECT last_read_id FROM room_members WHERE room_id = $1 AND user_id = $2',
      [roomId, userId],
    );
    return rows.length > 0 ? Number(rows[0].last_read_id) : null;
  }

  async membership(roomId: number, userId: number): Promise<Membership | null> {
    const rows: MembershipRow[] = await this.db.query(
      'SELECT room_id, role, last_read_id FROM room_members WHERE room_id = $1 AND user_id = $2',
      [roomId, userId],
    );
    return rows.length > 0 ? toMembership(rows[0]) : null;
  }

  async readPositions(userId: number): Promise<Membership[]> {
    const rows: MembershipRow[] = await this.db.query(
      'SELECT room_id, role, last_read_id FROM room_members WHERE user_id = $1 ORDER BY room_id',
      [userId],
    );
    return rows.map(toMembership);
  }

  async saveReadMarks(marks: readonly ReadMark[]): Promise<void> {
    if (marks.length === 0) return;
    // One statement for every mark. Rows are locked in key order first, so two processes
    // flushing marks of the same members cannot deadlock; GREATEST keeps the later of the two.
    await this.db.query(
      `WITH marks AS (
         SELECT room_id, user_id, max(last_read_id) AS last_read_id
         FROM unnest($1::int[], $2::int[], $3::bigint[]) AS t(room_id, user_id, last_read_id)
         GROUP BY room_id, user_id
       ), locked AS (
         SELECT m.room_id, m.user_id FROM room_members m
         JOIN marks USING (room_id, user_id)
         WHERE m.last_read_id < marks.last_read_id
         ORDER BY m.room_id, m.user_id FOR NO KEY UPDATE OF m
       ), moved AS (
         UPDATE room_members m SET last_read_id = GREATEST(m.last_read_id, marks.last_read_id)
         FROM marks JOIN locked USING (room_id, user_id)
         WHERE m.room_id = marks.room_id AND m.user_id = marks.user_id
         RETURNING 1
       )
       SELECT count(*) FROM moved`,
      [
        marks.map((mark) => mark.roomId),
        marks.map((mark) => mark.userId),
        marks.map((mark) => mark.lastReadId),
      ],
    );
  }
}

interface MembershipRow {
  room_id: number;
  role: RoomRole;
  last_read_id: string;
}

function toMembership(row: MembershipRow): Membership {
  return { roomId: row.room_id, role: row.role, lastReadId: Number(row.last_read_id) };
}

function toRoom(row: RoomRow): Room {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isPrivate: row.is_private,
    kind: row.kind,
    directUserIds: row.direct_key === null ? [] : row.direct_key.split(':').map(Number),
    createdBy: row.created_by,
    createdAt: row.created_at,
    memberCount: row.member_count,
  };
}
