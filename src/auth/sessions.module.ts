import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { sharedStateAdapter } from '../cluster/shared-state-adapter';
import { storeAdapter } from '../database/store-adapter';
import { LocalSessionRevocations, SessionRevocations } from './session-revocations';
import { RedisSessionRevocations } from './session-revocations.redis';
import { SessionsController } from './sessions.controller';
import { SessionsMemoryRepository } from './sessions.memory.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

const load = createRequire(__filename);

/**
 * Sessions, and SessionsService for the features that end them (a password change, an account
 * deactivated). It depends on no feature, so that any feature module can import it (AuthModule,
 * which does, depends on UsersModule); their connections are closed through SessionEvents.
 */
@Module({
  imports: [ClusterModule],
  controllers: [SessionsController],
  providers: [
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
  ],
  exports: [SessionsService, SessionRevocations],
})
export class SessionsModule {}
