import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { MessagesService } from '../messages/messages.service';
import { RoomsService } from '../rooms/rooms.service';
import type { Ack, MessageAck, MessagesAck, RoomAck } from './chat-events';
import { ChatMessageDto, RoomRefDto, SyncDto, TypingDto } from './dto/chat.dto';
import { RealtimeBroadcaster } from './realtime-broadcaster';
import { TypingThrottle } from './typing-throttle';

/**
 * The real-time commands, shared by the Socket.IO gateway and the raw WebSocket endpoint. Rules
 * live in the feature services; this maps them to acknowledgements and live events.
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly typingThrottle: TypingThrottle,
  ) {}

  async join(user: AuthUser, dto: RoomRefDto): Promise<RoomAck> {
    return { ok: true, room: await this.rooms.join(user, dto.room_id) };
  }

  async leave(user: AuthUser, dto: RoomRefDto): Promise<Ack> {
    await this.rooms.leave(user, dto.room_id);
    return { ok: true };
  }

  async send(user: AuthUser, dto: ChatMessageDto): Promise<MessageAck> {
    const { message } = await this.messages.send(user, dto.room_id, {
      content: dto.content,
      client_msg_id: dto.client_msg_id,
    });
    return { ok: true, message };
  }

  /** Acknowledged whether or not the throttle passes it on: a dropped one is no error. */
  async typing(user: AuthUser, dto: TypingDto): Promise<Ack> {
    await this.rooms.assertCanSend(user, dto.room_id);
    if (await this.typingThrottle.admit(user.id, dto.room_id, dto.is_typing)) {
      this.broadcaster.typing(dto.room_id, user, dto.is_typing);
    }
    return { ok: true };
  }

  async sync(user: AuthUser, dto: SyncDto): Promise<MessagesAck> {
    const messages = await this.messages.history(user, dto.room_id, {
      after: dto.after_id,
      limit: dto.limit,
    });
    return { ok: true, messages };
  }
}
