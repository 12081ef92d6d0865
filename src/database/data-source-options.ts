import type { DataSourceOptions } from 'typeorm';
import { SessionEntity } from '../auth/session.entity';
import {
  MessageEntity,
  MessageMentionEntity,
  MessageReactionEntity,
} from '../messages/message.entity';
import { RoomBanEntity, RoomEntity, RoomMemberEntity } from '../rooms/room.entity';
import { UserEntity } from '../users/user.entity';
import { InitialSchema1764093600000 } from './migrations/1764093600000-InitialSchema';
import { PublicRoomNamesUnique1796014993648 } from './migrations/1796014993648-PublicRoomNamesUnique';
import { MessageReplies1796900000000 } from './migrations/1796900000000-MessageReplies';
import { MessageChanges1797000000000 } from './migrations/1797000000000-MessageChanges';
import { Conversations1797100000000 } from './migrations/1797100000000-Conversations';
import { MessageSearch1797200000000 } from './migrations/1797200000000-MessageSearch';
import { Sessions1797300000000 } from './migrations/1797300000000-Sessions';
import { UserProfiles1797310000000 } from './migrations/1797310000000-UserProfiles';
import { RoomRoles1797320000000 } from './migrations/1797320000000-RoomRoles';

export const ENTITIES = [
  UserEntity,
  RoomEntity,
  RoomMemberEntity,
  RoomBanEntity,
  MessageEntity,
  MessageReactionEntity,
  MessageMentionEntity,
  SessionEntity,
];
export const MIGRATIONS = [
  InitialSchema1764093600000,
  PublicRoomNamesUnique1796014993648,
  MessageReplies1796900000000,
  MessageChanges1797000000000,
  Conversations1797100000000,
  MessageSearch1797200000000,
  Sessions1797300000000,
  UserProfiles1797310000000,
  RoomRoles1797320000000,
];
const STATEMENT_TIMEOUT_MS = 10_000;

/** PostgreSQL through TypeORM; the schema comes from migrations only, never from synchronize. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Options of the pg pool and its connections.
    extra: {
      max: 20,
      // No JIT: this server's statements are short, and PostgreSQL would compile one whose
      // estimate passes jit_above_cost (a listing's unread counts over many rooms, estimated at
      // thousands of rows a room) for most of a second, to run it in milliseconds.
      options: '-c jit=off',
      // Connecting, or waiting for a free connection of the pool, fails after 5 s.
      connectionTimeoutMillis: 5_000,
      // PostgreSQL cancels a statement that runs longer than this (the connection stays usable).
      // It applies to migrations too: one that needs longer starts with
      // `SET LOCAL statement_timeout = 0` (each migration runs in its own transaction).
      statement_timeout: STATEMENT_TIMEOUT_MS,
      // The client gives up waiting for an answer a little later, when the server does not answer
      // at all (hung, or a half-open connection): the query fails instead of stalling its caller.
      query_timeout: STATEMENT_TIMEOUT_MS + 2_000,
      // TCP keep-alive probes on idle connections after 10 s (not the system's default of about
      // 2 hours), so that a connection to a server that has gone away is found dead and dropped
      // from the pool within minutes rather than hours. It does not make a query fail fast by
      // itself; the timeouts above do.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
  };
}
