import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages that change: edits, tombstones, reactions, and the change_id that orders every change
 * to a room's messages. change_id comes from one sequence, drawn while the room's row is locked
 * (as message ids are), so it follows commit order within each room. A stored message's change is
 * its send: change_id starts as its id, which already follows commit order within its room.
 */
export class MessageChanges1797000000000 implements MigrationInterface {
  name = 'MessageChanges1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE messages
         ADD COLUMN edited_at timestamptz,
         ADD COLUMN deleted boolean NOT NULL DEFAULT false,
         ADD COLUMN change_id bigint`,
    );
    await queryRunner.query(`CREATE SEQUENCE messages_change_id_seq OWNED BY messages.change_id`);
    await queryRunner.query(`UPDATE messages SET change_id = id`);
    await queryRunner.query(
      `SELECT setval('messages_change_id_seq', COALESCE((SELECT max(id) FROM messages), 0) + 1, false)`,
    );
    await queryRunner.query(
      `ALTER TABLE messages
         ALTER COLUMN change_id SET DEFAULT nextval('messages_change_id_seq'),
         ALTER COLUMN change_id SET NOT NULL`,
    );
    // Catching up: WHERE room_id = ? AND change_id > ? ORDER BY change_id LIMIT ?.
    await queryRunner.query(
      `CREATE INDEX messages_room_id_change_id_idx ON messages (room_id, change_id)`,
    );
    // One row per reaction. `position` is its emoji's place on the message, kept while the emoji
    // lasts; `id` orders the users of one emoji.
    await queryRunner.query(`
      CREATE TABLE message_reactions (
        message_id bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        emoji varchar(32) NOT NULL,
        position integer NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        CONSTRAINT message_reactions_pkey PRIMARY KEY (message_id, user_id, emoji)
      )`);
    // Deleting a user deletes their reactions: without it, that cascade scans the table.
    await queryRunner.query(
      `CREATE INDEX message_reactions_user_id_idx ON message_reactions (user_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE message_reactions');
    await queryRunner.query('DROP INDEX messages_room_id_change_id_idx');
    await queryRunner.query(
      'ALTER TABLE messages DROP COLUMN change_id, DROP COLUMN deleted, DROP COLUMN edited_at',
    );
  }
}
