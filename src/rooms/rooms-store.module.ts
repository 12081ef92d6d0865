import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { storeAdapter } from '../database/store-adapter';
import { RoomsMemoryRepository } from './rooms.memory.repository';
import { RoomsRepository } from './rooms.repository';

const load = createRequire(__filename);

/**
 * The room and membership store, apart from the rooms feature: the message store needs it too, and
 * users (whom a profile change reaches).
 */
@Module({
  providers: [
    storeAdapter(RoomsRepository, {
      memory: RoomsMemoryRepository,
      postgres: () =>
        (load('./rooms.typeorm.repository') as typeof import('./rooms.typeorm.repository.js'))
          .RoomsTypeormRepository,
    }),
  ],
  exports: [RoomsRepository],
})
export class RoomsStoreModule {}
