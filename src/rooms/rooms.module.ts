import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { storeAdapter } from '../database/store-adapter';
import { UsersModule } from '../users/users.module';
import { DefaultRooms } from './default-rooms';
import { RoomsController } from './rooms.controller';
import { RoomsMemoryRepository } from './rooms.memory.repository';
import { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';

const load = createRequire(__filename);

@Module({
  imports: [UsersModule, ClusterModule],
  controllers: [RoomsController],
  providers: [
    RoomsService,
    DefaultRooms,
    storeAdapter(RoomsRepository, {
      memory: RoomsMemoryRepository,
      postgres: () =>
        (load('./rooms.typeorm.repository') as typeof import('./rooms.typeorm.repository.js'))
          .RoomsTypeormRepository,
    }),
  ],
  // The memory store of messages checks membership in the rooms store.
  exports: [RoomsService, RoomsRepository, DefaultRooms],
})
export class RoomsModule {}
