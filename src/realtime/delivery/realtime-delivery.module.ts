import { Global, Module } from '@nestjs/common';
import { SessionEvents } from '../../auth/session-events';
import { MessageEvents } from '../../messages/message-events';
import { RoomEvents } from '../../rooms/room-events';
import { UserEvents } from '../../users/user-events';
import { RawClients } from '../raw-ws/raw-clients';
import { RealtimeBroadcaster } from './realtime-broadcaster';
import { MetricsModule } from '../../metrics/metrics.module';
import { ClusterModule } from '../../cluster/cluster.module';
import { RawChannels } from './raw-channels';
import { PubSubTraffic } from './pubsub-traffic';

/**
 * Delivery of live events to connections of both transports: implements the features' event
 * ports (MessageEvents, RoomEvents, SessionEvents, UserEvents). Global so that features need not
 * import the transports; it is a module of its own because the transports' module depends on the
 * features.
 */
@Global()
@Module({
  imports: [MetricsModule, ClusterModule],
  providers: [
    RawClients,
    RawChannels,
    PubSubTraffic,
    RealtimeBroadcaster,
    { provide: MessageEvents, useExisting: RealtimeBroadcaster },
    { provide: RoomEvents, useExisting: RealtimeBroadcaster },
    { provide: SessionEvents, useExisting: RealtimeBroadcaster },
    { provide: UserEvents, useExisting: RealtimeBroadcaster },
  ],
  exports: [
    RawClients,
    RawChannels,
    RealtimeBroadcaster,
    MessageEvents,
    RoomEvents,
    SessionEvents,
    UserEvents,
  ],
})
export class RealtimeDeliveryModule {}
