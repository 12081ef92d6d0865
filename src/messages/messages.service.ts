import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { LIMITS } from '../common/limits';
import { RequestError } from '../common/errors/app-error';
import { RoomsService } from '../rooms/rooms.service';
import { HistoryQueryDto, MessageResponse, SendMessageDto } from './dto/message.dto';
import type { Message } from './message';
import { Metrics } from '../metrics/metrics';
import { MessageEvents } from './message-events';
import { MessagesError } from './messages.error';
import { MessagesRepository, StoredMessage } from './messages.repository';
import { SendRateLimiter } from './send-rate-limiter';

export interface SentMessage {
  message: MessageResponse;
  /** False when client_msg_id repeated an earlier send; nothing new was stored. */
  created: boolean;
}

/** The one sending path and the history, whatever transport the request came by. */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly rooms: RoomsService,
    private readonly rateLimiter: SendRateLimiter,
    private readonly events: MessageEvents,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Checks access and the rate limit, stores (once per client_msg_id), then publishes to the room.
   * Resolves only once the message is stored, so an acknowledged message is never lost.
   */
  async send(auth: AuthUser, roomId: number, dto: SendMessageDto): Promise<SentMessage> {
    await this.rooms.assertCanSend(auth, roomId);
    const retryAfterMs = await this.rateLimiter.take(auth.id);
    if (retryAfterMs > 0) {
      // A retry of a message already stored is answered even over the limit.
      const stored = dto.client_msg_id
        ? await this.messages.findByClientMsgId(auth.id, dto.client_msg_id)
        : null;
      if (!stored) throw RequestError.rateLimited(retryAfterMs);
      return this.answer({ message: stored, created: false }, roomId);
    }
    const stored = await this.messages.create({
      roomId,
      userId: auth.id,
      username: auth.username,
      content: dto.content,
      clientMsgId: dto.client_msg_id ?? null,
    });
    return this.answer(stored, roomId);
  }

  async history(
    auth: AuthUser | null,
    roomId: number,
    query: HistoryQueryDto,
  ): Promise<MessageResponse[]> {
    await this.rooms.assertVisible(auth, roomId);
    const messages = await this.messages.list(roomId, {
      limit: query.limit ?? LIMITS.history.default,
      before: query.before,
      after: query.after,
    });
    return messages.map(toMessageResponse);
  }

  /** Publishes a new message; a repeat answers the stored one, if it was sent to the same room. */
  private answer({ message, created }: StoredMessage, roomId: number): SentMessage {
    if (message.roomId !== roomId) {
      throw MessagesError.clientMsgIdConflict(message.clientMsgId!, message.roomId);
    }
    const response = toMessageResponse(message);
    if (created) {
      this.metrics.messageStored();
      this.events.messageCreated(response);
    }
    return { message: response, created };
  }
}

export function toMessageResponse(message: Message): MessageResponse {
  return {
    type: 'chat_message',
    id: message.id,
    room_id: message.roomId,
    user_id: message.userId,
    username: message.username,
    content: message.content,
    created_at: message.createdAt.toISOString(),
    client_msg_id: message.clientMsgId,
  };
}
