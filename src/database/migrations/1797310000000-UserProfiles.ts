import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People: a display name (null shows the username), a server role, and deactivation. The first
 * account of a store is its admin, as on a fresh store: an existing store gets one too, so its
 * operator can moderate from the start.
 */
export class UserProfiles1797310000000 implements MigrationInterface {
  name = 'UserProfiles1797310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE users
         ADD COLUMN display_name varchar(64),
         ADD COLUMN role varchar(16) NOT NULL DEFAULT 'user',
         ADD COLUMN deactivated_at timestamptz`,
    );
    await queryRunner.query(
      `UPDATE users SET role = 'admin' WHERE id = (SELECT min(id) FROM users)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE users DROP COLUMN display_name, DROP COLUMN role, DROP COLUMN deactivated_at',
    );
  }
}
