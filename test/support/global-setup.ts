import type { GlobalConfig, ProjectConfig } from 'jest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { PasswordHasher } from '../../src/users/password-hasher';
import { UsersTypeormRepository } from '../../src/users/users.typeorm.repository';
import { ensurePrerequisites } from './prerequisites';
import { adminQuery, databaseUrl } from './test-database';
import { TEST_ADMIN } from './test-admin';

/**
 * Makes sure the machine has what the selected suites need (or stops the run with one line), then
 * creates and migrates one fresh PostgreSQL database for this run, with the test admin as its
 * first account; the teardown drops it.
 */
export default async function globalSetup(
  globalConfig: GlobalConfig,
  projectConfig: ProjectConfig,
): Promise<void> {
  await ensurePrerequisites(globalConfig, projectConfig);
  const name = `chat_test_${Date.now()}_${process.pid}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = databaseUrl(name);
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  await dataSource.runMigrations();
  // The first account, and so the admin, before any suite registers anyone.
  await new UsersTypeormRepository(dataSource).create({
    username: TEST_ADMIN.username,
    passwordHash: await new PasswordHasher().hash(TEST_ADMIN.password),
  });
  await dataSource.destroy();
  process.env.TEST_DATABASE_NAME = name;
  process.env.TEST_DATABASE_URL = url;
}
