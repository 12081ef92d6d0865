import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { storeAdapter } from '../database/store-adapter';
import { MemoryStorageHealth, StorageHealth } from '../database/storage-health';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

const load = createRequire(__filename);

/** Operational endpoints: liveness and readiness, and the Prometheus scrape. */
@Module({
  imports: [MetricsModule, ClusterModule],
  controllers: [HealthController, MetricsController],
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
