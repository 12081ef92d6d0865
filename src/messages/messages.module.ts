import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { storeAdapter } from '../database/store-adapter';
import { RoomsModule } from '../rooms/rooms.module';
import { MessagesController } from './messages.controller';
import { MessagesMemoryRepository } from './messages.memory.repository';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { MetricsModule } from '../metrics/metrics.module';

const load = createRequire(__filename);

@Module({
  imports: [MetricsModule, RoomsModule, ClusterModule],
  controllers: [MessagesController],
  providers: [
    MessagesService,
    storeAdapter(MessagesRepository, {
      memory: MessagesMemoryRepository,
      postgres: () =>
        (load('./messages.typeorm.repository') as typeof import('./messages.typeorm.repository.js'))
          .MessagesTypeormRepository,
    }),
  ],
  // Search reads the store directly.
  exports: [MessagesService, MessagesRepository],
})
export class MessagesModule {}
