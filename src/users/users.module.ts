import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { LocalPresence, Presence } from './presence';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, { provide: Presence, useClass: LocalPresence }],
  exports: [UsersService, Presence],
})
export class UsersModule {}
