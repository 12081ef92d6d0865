import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/load-config';
import { dataSourceOptions } from './src/database/data-source-options';

/** The DataSource the TypeORM CLI uses to generate and run migrations (needs DATABASE_URL). */
const { databaseUrl } = loadConfig();
if (databaseUrl === null) {
  throw new Error('DATABASE_URL must be set to generate or run migrations');
}

export default new DataSource(dataSourceOptions(databaseUrl));
