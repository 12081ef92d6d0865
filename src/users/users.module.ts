import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { storeAdapter } from '../database/store-adapter';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersMemoryRepository } from './users.memory.repository';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const load = createRequire(__filename);

@Module({
  controllers: [UsersController],
  providers: [
    UsersService,
    PasswordHasher,
    storeAdapter(UsersRepository, {
      memory: UsersMemoryRepository,
      postgres: () =>
        (load('./users.typeorm.repository') as typeof import('./users.typeorm.repository.js'))
          .UsersTypeormRepository,
    }),
  ],
  exports: [UsersService],
})
export class UsersModule {}
