import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ClusterModule } from '../cluster/cluster.module';
import { sharedStateAdapter } from '../cluster/shared-state-adapter';
import { AppConfig } from '../config/app-config';
import { storeAdapter } from '../database/store-adapter';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { LocalSessionRevocations, SessionRevocations } from './session-revocations';
import { RedisSessionRevocations } from './session-revocations.redis';
import { SessionsController } from './sessions.controller';
import { SessionsMemoryRepository } from './sessions.memory.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

const load = createRequire(__filename);

/**
 * Accounts' sign-in and sessions, and the guard of every route. Exports SessionsService for the
 * features that end sessions; the real-time module closes their connections (SessionEvents).
 */
@Module({
  imports: [
    UsersModule,
    RoomsModule,
    ClusterModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A key object: given a string, jsonwebtoken first tries it as a public key on every verify.
        secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
        signOptions: { algorithm: 'HS256', expiresIn: config.jwt.expiresInSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, SessionsController],
  providers: [
    AuthService,
    SessionsService,
    sharedStateAdapter(SessionRevocations, {
      local: LocalSessionRevocations,
      redis: RedisSessionRevocations,
    }),
    storeAdapter(SessionsRepository, {
      memory: SessionsMemoryRepository,
      postgres: () =>
        (load('./sessions.typeorm.repository') as typeof import('./sessions.typeorm.repository.js'))
          .SessionsTypeormRepository,
    }),
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [AuthService, SessionsService],
})
export class AuthModule {}
