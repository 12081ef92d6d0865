import type { DynamicModule, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagesRepository } from '../messages/messages.repository';
import { MessagesTypeormRepository } from '../messages/messages.typeorm.repository';
import { RoomsRepository } from '../rooms/rooms.repository';
import { RoomsTypeormRepository } from '../rooms/rooms.typeorm.repository';
import { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { UsersTypeormRepository } from '../users/users.typeorm.repository';
import { dataSourceOptions } from './data-source-options';
import { PostgresStorageHealth } from './postgres-storage-health';
import { StorageHealth } from './storage-health';

/** The ports bound to TypeORM on PostgreSQL (loaded only when DATABASE_URL is set). */
export function postgresPersistence(
  module: Type,
  databaseUrl: string,
  exports: DynamicModule['exports'],
): DynamicModule {
  return {
    module,
    imports: [
      // Pending migrations run at start, so an empty database gets its tables on the first start.
      TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), migrationsRun: true }),
      TypeOrmModule.forFeature([UserEntity]),
    ],
    providers: [
      { provide: UsersRepository, useClass: UsersTypeormRepository },
      { provide: RoomsRepository, useClass: RoomsTypeormRepository },
      { provide: MessagesRepository, useClass: MessagesTypeormRepository },
      { provide: StorageHealth, useClass: PostgresStorageHealth },
    ],
    exports,
  };
}
