import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { storeAdapter } from '../database/store-adapter';
import { RoomActivity } from '../rooms/room-activity';
import { RoomsStoreModule } from '../rooms/rooms-store.module';
import { MessagesMemoryRepository } from './messages.memory.repository';
import { MessagesRepository } from './messages.repository';

const load = createRequire(__filename);

/**
 * The message store, apart from the messages feature: the rooms feature reads it too, through
 * the RoomActivity port (unread counts, the newest message), and the memory store of messages
 * checks membership in the rooms store.
 */
@Module({
  imports: [RoomsStoreModule],
  providers: [
    storeAdapter(MessagesRepository, {
      memory: MessagesMemoryRepository,
      postgres: () =>
        (load('./messages.typeorm.repository') as typeof import('./messages.typeorm.repository.js'))
          .MessagesTypeormRepository,
    }),
    { provide: RoomActivity, useExisting: MessagesRepository },
  ],
  exports: [MessagesRepository, RoomActivity],
})
export class MessagesStoreModule {}
