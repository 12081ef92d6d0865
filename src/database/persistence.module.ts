import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { MessagesMemoryRepository } from '../messages/messages.memory.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { MessagesTypeormRepository } from '../messages/messages.typeorm.repository';
import { RoomsMemoryRepository } from '../rooms/rooms.memory.repository';
import { RoomsRepository } from '../rooms/rooms.repository';
import { RoomsTypeormRepository } from '../rooms/rooms.typeorm.repository';
import { UserEntity } from '../users/user.entity';
import { UsersMemoryRepository } from '../users/users.memory.repository';
import { UsersRepository } from '../users/users.repository';
import { UsersTypeormRepository } from '../users/users.typeorm.repository';
import { dataSourceOptions } from './data-source-options';
import { MemoryStorageHealth, PostgresStorageHealth, StorageHealth } from './storage-health';

const PORTS = [UsersRepository, RoomsRepository, MessagesRepository, StorageHealth];

/** The one place that picks the store: PostgreSQL when DATABASE_URL is set, memory otherwise. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return config.databaseUrl === null ? memory() : postgres(config.databaseUrl);
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

function postgres(databaseUrl: string): DynamicModule {
  const providers: Provider[] = [
    { provide: UsersRepository, useClass: UsersTypeormRepository },
    { provide: RoomsRepository, useClass: RoomsTypeormRepository },
    { provide: MessagesRepository, useClass: MessagesTypeormRepository },
    { provide: StorageHealth, useClass: PostgresStorageHealth },
  ];
  return {
    module: PersistenceModule,
    imports: [
      // Pending migrations run at start, so an empty database gets its tables on the first start.
      TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), migrationsRun: true }),
      TypeOrmModule.forFeature([UserEntity]),
    ],
    providers,
    exports: PORTS,
  };
}
