import { createRequire } from 'node:module';
import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MessagesMemoryRepository } from '../messages/messages.memory.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { RoomsMemoryRepository } from '../rooms/rooms.memory.repository';
import { RoomsRepository } from '../rooms/rooms.repository';
import { UsersMemoryRepository } from '../users/users.memory.repository';
import { UsersRepository } from '../users/users.repository';
import { MemoryStorageHealth, StorageHealth } from './storage-health';

const PORTS = [UsersRepository, RoomsRepository, MessagesRepository, StorageHealth];

/**
 * Loads a module of this folder when it is first needed, resolved as this file is (compiled,
 * under ts-node or under Jest alike).
 */
const loadLazily = createRequire(__filename);

/** The one place that picks the store: PostgreSQL when DATABASE_URL is set, memory otherwise. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.databaseUrl === null) return memory();
    // TypeORM and the driver are loaded only for PostgreSQL: a server in memory has no use for them.
    const { postgresPersistence } = loadLazily(
      './postgres-persistence',
    ) as typeof import('./postgres-persistence.js');
    return postgresPersistence(PersistenceModule, config.databaseUrl, PORTS);
  }
}

function memory(): DynamicModule {
  const providers: Provider[] = [
    { provide: UsersRepository, useClass: UsersMemoryRepository },
    { provide: RoomsRepository, useClass: RoomsMemoryRepository },
    { provide: MessagesRepository, useClass: MessagesMemoryRepository },
    { provide: StorageHealth, useClass: MemoryStorageHealth },
  ];
  return { module: PersistenceModule, providers, exports: PORTS };
}
