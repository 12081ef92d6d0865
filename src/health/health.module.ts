import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { storeAdapter } from '../database/store-adapter';
import { MemoryStorageHealth, StorageHealth } from '../database/storage-health';
import { HealthController } from './health.controller';

const load = createRequire(__filename);

@Module({
  controllers: [HealthController],
  providers: [
    storeAdapter(StorageHealth, {
      memory: MemoryStorageHealth,
      postgres: () =>
        (
          load(
            '../database/postgres-storage-health',
          ) as typeof import('../database/postgres-storage-health.js')
        ).PostgresStorageHealth,
    }),
  ],
})
export class HealthModule {}
