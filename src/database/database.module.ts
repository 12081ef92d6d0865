import { createRequire } from 'node:module';
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';

/**
 * Loads a module of this folder when it is first needed, resolved as this file is (compiled,
 * under ts-node or under Jest alike).
 */
const loadLazily = createRequire(__filename);

/**
 * The connection to PostgreSQL when DATABASE_URL is set (TypeORM's DataSource, which TypeORM
 * makes available to every module; migrations run at start), nothing otherwise. Each feature
 * binds its own repositories (storeAdapter).
 */
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.databaseUrl === null) return { module: DatabaseModule };
    // TypeORM and the driver are loaded only for PostgreSQL: a server in memory has no use for them.
    const { postgresConnection } = loadLazily(
      './postgres-connection',
    ) as typeof import('./postgres-connection.js');
    return { module: DatabaseModule, imports: [postgresConnection(config.databaseUrl)] };
  }
}
