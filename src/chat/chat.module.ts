import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MessagesModule } from '../messages/messages.module';
import { RoomsModule } from '../rooms/rooms.module';
import { ChatRecovery } from './chat-recovery';
import { ChatSessions } from './chat-sessions';
import { ChatShutdown } from './chat-shutdown';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';
import { InFlight } from './in-flight';
import { RawWebSocketServer } from './raw-websocket.server';
import { SessionExpiry } from './session-expiry';

/** The real-time transports: Socket.IO and the seed-compatible raw WebSocket. */
@Module({
  imports: [AuthModule, RoomsModule, MessagesModule],
  providers: [
    ChatGateway,
    ChatService,
    ChatSessions,
    ChatRecovery,
    InFlight,
    RawWebSocketServer,
    ChatShutdown,
    SessionExpiry,
  ],
})
export class ChatModule {}
