import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { UsersModule } from '../users/users.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

/** Server administration: accounts. */
@Module({
  imports: [UsersModule, SessionsModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
