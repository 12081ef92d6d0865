import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ClusterModule } from '../cluster/cluster.module';
import { sharedStateAdapter } from '../cluster/shared-state-adapter';
import { MessagesModule } from '../messages/messages.module';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { RealtimeCommands } from './commands/realtime-commands';
import { RunningCommands } from './commands/running-commands';
import { LocalTypingThrottle, TypingThrottle } from './commands/typing-throttle';
import { RedisTypingThrottle } from './commands/typing-throttle.redis';
import { ConnectionAuthenticator } from './connections/connection-authenticator';
import { ConnectionLifecycle } from './connections/connection-lifecycle';
import { RealtimeShutdown } from './connections/realtime-shutdown';
import { TokenExpiry } from './connections/token-expiry';
import { RedisRecovery } from './delivery/redis-recovery';
import { RawWebSocketServer } from './raw-ws/raw-websocket.server';
import { SocketIoGateway } from './socketio/socket-io.gateway';
import { MetricsModule } from '../metrics/metrics.module';

/**
 * The real-time transports, Socket.IO and the seed-compatible raw WebSocket, serving one command
 * table; delivery of events to them is RealtimeDeliveryModule's.
 */
@Module({
  imports: [AuthModule, UsersModule, RoomsModule, MessagesModule, ClusterModule, MetricsModule],
  providers: [
    RealtimeCommands,
    RunningCommands,
    sharedStateAdapter(TypingThrottle, { local: LocalTypingThrottle, redis: RedisTypingThrottle }),
    ConnectionAuthenticator,
    ConnectionLifecycle,
    TokenExpiry,
    RealtimeShutdown,
    RedisRecovery,
    SocketIoGateway,
    RawWebSocketServer,
  ],
})
export class RealtimeModule {}
