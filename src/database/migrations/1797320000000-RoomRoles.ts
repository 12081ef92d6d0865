import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room roles and bans.
 * - room_members.role: `owner`, `admin` or `member`; each channel's creator (rooms.created_by,
 *   which stays as it is) becomes its owner.
 * - room_bans: the users barred from a room, by whom and since when; they go with the room or
 *   the user.
 */
export class RoomRoles1797320000000 implements MigrationInterface {
  name = 'RoomRoles1797320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE room_members ADD COLUMN role varchar(16) NOT NULL DEFAULT 'member'`,
    );
    await queryRunner.query(
      `UPDATE room_members rm SET role = 'owner'
       FROM rooms r WHERE r.id = rm.room_id AND r.created_by = rm.user_id`,
    );
    await queryRunner.query(`
      CREATE TABLE room_bans (
        room_id integer NOT NULL,
        user_id integer NOT NULL,
        banned_by integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT room_bans_pkey PRIMARY KEY (room_id, user_id),
        CONSTRAINT room_bans_room_id_fkey FOREIGN KEY (room_id)
          REFERENCES rooms (id) ON DELETE CASCADE,
        CONSTRAINT room_bans_user_id_fkey FOREIGN KEY (user_id)
          REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT room_bans_banned_by_fkey FOREIGN KEY (banned_by)
          REFERENCES users (id) ON DELETE SET NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE room_bans');
    await queryRunner.query('ALTER TABLE room_members DROP COLUMN role');
  }
}
