import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { sharedStateAdapter } from '../cluster/shared-state-adapter';
import { storeAdapter } from '../database/store-adapter';
import { RoomsStoreModule } from '../rooms/rooms-store.module';
import { InitialAdmin } from './initial-admin';
import { PasswordHasher } from './password-hasher';
import { LocalPresence, Presence } from './presence';
import { RedisPresence } from './presence.redis';
import { UsersController } from './users.controller';
import { UsersMemoryRepository } from './users.memory.repository';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const load = createRequire(__filename);

@Module({
  imports: [ClusterModule, RoomsStoreModule],
  controllers: [UsersController],
  providers: [
    UsersService,
    PasswordHasher,
    InitialAdmin,
    sharedStateAdapter(Presence, { local: LocalPresence, redis: RedisPresence }),
    storeAdapter(UsersRepository, {
      memory: UsersMemoryRepository,
      postgres: () =>
        (load('./users.typeorm.repository') as typeof import('./users.typeorm.repository.js'))
          .UsersTypeormRepository,
    }),
  ],
  exports: [UsersService, Presence],
})
export class UsersModule {}
