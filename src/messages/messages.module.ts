import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { MessagesController } from './messages.controller';
import { MessagesStoreModule } from './messages-store.module';
import { MessagesService } from './messages.service';
import { Mentions } from './mentions';
import { MetricsModule } from '../metrics/metrics.module';

@Module({
  imports: [MetricsModule, RoomsModule, UsersModule, ClusterModule, MessagesStoreModule],
  controllers: [MessagesController],
  providers: [MessagesService, Mentions],
  exports: [MessagesService],
})
export class MessagesModule {}
