import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { MessagesService } from '../messages/messages.service';
import { RoomsService } from '../rooms/rooms.service';
import { Presence } from '../users/presence';
import type { Ack, MessageAck, MessagesAck, RoomAck } from './chat-events';
import { ChatMessageDto, RoomRefDto, SyncDto, TypingDto } from './dto/chat.dto';
import { RealtimeBroadcaster } from './realtime-broadcaster';

/**
 * The real-time commands, shared by the Socket.IO gateway and the raw WebSocket endpoint. Rules
 * live in the feature services; this maps them to acknowledgements and live events.
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly presence: Presence,
    private readonly broadcaster: RealtimeBroadcaster,
  ) {}

  /** Rooms a new connection subscribes to. */
  subscriptionsOf(user: AuthUser): Promise<number[]> {
    return this.rooms.roomIdsOf(user.id);
  }

  /** Counts the connection; the user's first one announces them online to their rooms. */
  async connected(user: AuthUser, roomIds: readonly number[]): Promise<void> {
    if (await this.presence.connected(user.id)) this.broadcaster.presence(user, true, roomIds);
  }

  /** The user's last connection going away announces them offline. */
  async disconnected(user: AuthUser): Promise<void> {
    if (await this.presence.disconnected(user.id)) {
      this.broadcaster.presence(user, false, await this.rooms.roomIdsOf(user.id));
    }
  }

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

  async typing(user: AuthUser, dto: TypingDto): Promise<Ack> {
    await this.rooms.findForSending(user, dto.room_id);
    this.broadcaster.typing(dto.room_id, user, dto.is_typing);
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
