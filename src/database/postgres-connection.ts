import type { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options';

/** TypeORM on PostgreSQL (loaded only when DATABASE_URL is set). */
export function postgresConnection(databaseUrl: string): DynamicModule {
  // Pending migrations run at start, so an empty database gets its tables on the first start.
  return TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), migrationsRun: true });
}
