import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { LocalSendRateLimiter, SendRateLimiter } from './send-rate-limiter';

@Module({
  imports: [RoomsModule],
  controllers: [MessagesController],
  providers: [MessagesService, { provide: SendRateLimiter, useClass: LocalSendRateLimiter }],
  exports: [MessagesService],
})
export class MessagesModule {}
