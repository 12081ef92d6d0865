import type { DataSourceOptions } from 'typeorm';
import { MessageEntity } from '../messages/message.entity';
import { RoomEntity, RoomMemberEntity } from '../rooms/room.entity';
import { UserEntity } from '../users/user.entity';
import { InitialSchema1764093600000 } from './migrations/1764093600000-InitialSchema';

export const ENTITIES = [UserEntity, RoomEntity, RoomMemberEntity, MessageEntity];
export const MIGRATIONS = [InitialSchema1764093600000];

/** PostgreSQL through TypeORM; the schema comes from migrations only, never from synchronize. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: {
      max: 20,
      connectionTimeoutMillis: 5_000,
      // A connection to a database that has gone away fails fast instead of hanging.
      keepAlive: true,
    },
  };
}
