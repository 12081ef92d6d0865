import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message may answer another of its room (`reply_to`). Deleting a room deletes its messages, so
 * a reply never outlives its parent but by a moment of the same cascade: SET NULL then.
 */
export class MessageReplies1796900000000 implements MigrationInterface {
  name = 'MessageReplies1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE messages ADD COLUMN reply_to bigint
         CONSTRAINT messages_reply_to_fkey REFERENCES messages (id) ON DELETE SET NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE messages DROP COLUMN reply_to');
  }
}
