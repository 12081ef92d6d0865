import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room names are unique among public rooms only: a private room's name blocks nothing, so that
 * creating a room never reveals that a private room of that name exists.
 */
export class PublicRoomNamesUnique1796014993648 implements MigrationInterface {
  name = 'PublicRoomNamesUnique1796014993648';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX rooms_name_lower_key');
    await queryRunner.query(
      'CREATE UNIQUE INDEX rooms_public_name_lower_key ON rooms (lower(name)) WHERE NOT is_private',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX rooms_public_name_lower_key');
    await queryRunner.query('CREATE UNIQUE INDEX rooms_name_lower_key ON rooms (lower(name))');
  }
}
