import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions: each sign-in, named by the `sid` claim of its tokens, which work while it lives. Ending
 * one deletes its row; a user's go with the user.
 */
export class Sessions1797300000000 implements MigrationInterface {
  name = 'Sessions1797300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id integer NOT NULL CONSTRAINT sessions_user_id_fkey
          REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NOT NULL,
        user_agent text,
        expires_at timestamptz NOT NULL
      )`,
    );
    await queryRunner.query('CREATE INDEX sessions_user_id_idx ON sessions (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sessions');
  }
}
