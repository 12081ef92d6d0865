import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Message search (messages.typeorm.search.ts): a GIN index of the words of each message that is
 * not deleted, `to_tsvector('simple', content)` (no language: every word counts, in any letter
 * case), and statistics of that expression, from which the planner knows how common a word is
 * (PostgreSQL uses no statistics of a partial index's expressions).
 */
export class MessageSearch1797200000000 implements MigrationInterface {
  name = 'MessageSearch1797200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Indexing a large table takes longer than the statement timeout.
    await queryRunner.query('SET LOCAL statement_timeout = 0');
    await queryRunner.query(
      `CREATE INDEX messages_content_search_idx ON messages
         USING gin (to_tsvector('simple', content)) WHERE NOT deleted`,
    );
    await queryRunner.query(
      `CREATE STATISTICS messages_content_search_stats
         ON (to_tsvector('simple', content)) FROM messages`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP STATISTICS messages_content_search_stats');
    await queryRunner.query('DROP INDEX messages_content_search_idx');
  }
}
