import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { adminQuery, databaseUrl } from './test-database';

/** Creates and migrates one fresh PostgreSQL database for this run; the teardown drops it. */
export default async function globalSetup(): Promise<void> {
  const name = `chat_test_${Date.now()}_${process.pid}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = databaseUrl(name);
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  process.env.TEST_DATABASE_NAME = name;
  process.env.TEST_DATABASE_URL = url;
}
