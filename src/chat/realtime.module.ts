import { Global, Module } from '@nestjs/common';
import { MessageEvents } from '../messages/message-events';
import { RoomEvents } from '../rooms/room-events';
import { RawClients } from './raw-clients';
import { RealtimeBroadcaster } from './realtime-broadcaster';

/** Implements the features' event ports; global so that features need not import the transports. */
@Global()
@Module({
  providers: [
    RawClients,
    RealtimeBroadcaster,
    { provide: MessageEvents, useExisting: RealtimeBroadcaster },
    { provide: RoomEvents, useExisting: RealtimeBroadcaster },
  ],
  exports: [RawClients, RealtimeBroadcaster, MessageEvents, RoomEvents],
})
export class RealtimeModule {}
