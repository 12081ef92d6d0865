import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Direct rooms, read positions and mentions.
 * - rooms.kind and rooms.direct_key: a direct room is found by its pair ("low:high" user ids), so
 *   two users asking at once get the same one (the unique index settles it).
 * - messages_room_id_id_idx includes user_id and deleted, so unread counts read the index only.
 * - room_members.last_read_id: the newest message a member has read; existing members start at
 *   their room's newest message, as members who join do.
 * - messages.mentions: the users a message names. message_mentions is their index for counting
 *   a member's unread mentions per room; triggers keep it equal to the live messages' mentions,
 *   whatever statement writes them, so the counts are derived and cannot drift.
 */
export class Conversations1797100000000 implements MigrationInterface {
  name = 'Conversations1797100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE rooms
         ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'channel',
         ADD COLUMN direct_key varchar(32)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX rooms_direct_key_key ON rooms (direct_key) WHERE direct_key IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE room_members ADD COLUMN last_read_id bigint NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `UPDATE room_members rm SET last_read_id = newest.id
       FROM (SELECT room_id, max(id) AS id FROM messages GROUP BY room_id) newest
       WHERE newest.room_id = rm.room_id`,
    );
    await queryRunner.query(
      `ALTER TABLE messages ADD COLUMN mentions integer[] NOT NULL DEFAULT '{}'`,
    );
    // Counting a member's unread messages reads only the index: the messages of a room are
    // spread over the table, one page each, so the rows themselves would cost a read apiece.
    await queryRunner.query('DROP INDEX messages_room_id_id_idx');
    await queryRunner.query(
      'CREATE INDEX messages_room_id_id_idx ON messages (room_id, id) INCLUDE (user_id, deleted)',
    );
    await queryRunner.query(`
      CREATE TABLE message_mentions (
        user_id integer NOT NULL,
        room_id integer NOT NULL,
        message_id bigint NOT NULL,
        CONSTRAINT message_mentions_pkey PRIMARY KEY (user_id, room_id, message_id),
        CONSTRAINT message_mentions_message_id_fkey FOREIGN KEY (message_id)
          REFERENCES messages (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX message_mentions_message_id_idx ON message_mentions (message_id)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION message_mentions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_mentions (user_id, room_id, message_id)
        SELECT DISTINCT named.user_id, n.room_id, n.id
        FROM new_rows n, unnest(n.mentions) AS named(user_id)
        WHERE NOT n.deleted;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION message_mentions_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM message_mentions mm
        USING old_rows o JOIN new_rows n ON n.id = o.id
        WHERE mm.message_id = o.id
          AND (o.mentions IS DISTINCT FROM n.mentions OR o.deleted <> n.deleted);
        INSERT INTO message_mentions (user_id, room_id, message_id)
        SELECT DISTINCT named.user_id, n.room_id, n.id
        FROM old_rows o JOIN new_rows n ON n.id = o.id, unnest(n.mentions) AS named(user_id)
        WHERE NOT n.deleted AND (o.mentions IS DISTINCT FROM n.mentions OR o.deleted <> n.deleted);
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER messages_mentions_inserted AFTER INSERT ON messages
       REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION message_mentions_inserted()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER messages_mentions_updated AFTER UPDATE ON messages
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION message_mentions_updated()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER messages_mentions_updated ON messages');
    await queryRunner.query('DROP TRIGGER messages_mentions_inserted ON messages');
    await queryRunner.query('DROP FUNCTION message_mentions_updated()');
    await queryRunner.query('DROP FUNCTION message_mentions_inserted()');
    await queryRunner.query('DROP TABLE message_mentions');
    await queryRunner.query('DROP INDEX messages_room_id_id_idx');
    await queryRunner.query('CREATE INDEX messages_room_id_id_idx ON messages (room_id, id)');
    await queryRunner.query('ALTER TABLE messages DROP COLUMN mentions');
    await queryRunner.query('ALTER TABLE room_members DROP COLUMN last_read_id');
    await queryRunner.query('DROP INDEX rooms_direct_key_key');
    await queryRunner.query('ALTER TABLE rooms DROP COLUMN direct_key, DROP COLUMN kind');
  }
}
