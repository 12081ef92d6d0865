import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { MessagesStoreModule } from '../messages/messages-store.module';
import { UsersModule } from '../users/users.module';
import { DefaultRooms } from './default-rooms';
import { DirectRoomsController } from './direct-rooms.controller';
import { ReadState } from './read-state';
import { RoomModerationController } from './room-moderation.controller';
import { RoomModerationService } from './room-moderation.service';
import { RoomViews } from './room-views';
import { RoomsController } from './rooms.controller';
import { RoomsStoreModule } from './rooms-store.module';
import { RoomsService } from './rooms.service';

@Module({
  imports: [UsersModule, ClusterModule, RoomsStoreModule, MessagesStoreModule],
  controllers: [RoomsController, RoomModerationController, DirectRoomsController],
  providers: [RoomsService, RoomModerationService, RoomViews, ReadState, DefaultRooms],
  exports: [RoomsService, ReadState, DefaultRooms],
})
export class RoomsModule {}
