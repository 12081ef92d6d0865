import { Injectable } from '@nestjs/common';
import { isoTime } from '../common/iso-time';
import type { AuthUser } from '../common/auth/auth-user';
import { LIMITS } from '../common/limits';
import { AppError, RequestError } from '../common/errors/app-error';
import { reactionEmoji } from '../common/emoji';
import { RoomsError } from '../rooms/rooms.error';
import { RoomsService } from '../rooms/rooms.service';
import {
  EditMessageDto,
  HistoryQueryDto,
  MessageResponse,
  ReactionResponse,
  SendMessageDto,
} from './dto/message.dto';
import type { Message, NewMessage, Reaction } from './message';
import type { ChangeRefusal, MessageChange } from './message-changes';
import { Metrics } from '../metrics/metrics';
import { MessageEvents } from './message-events';
import { Mentions } from './mentions';
import { MessagesError } from './messages.error';
import { MessagesRepository, StoredMessage } from './messages.repository';
import { RateLimiter, RateRule } from '../cluster/rate-limiter';
import { AppConfig } from '../config/app-config';
import { logModeration } from '../common/logging/moderation-log';
import { UsersService } from '../users/users.service';

export interface SentMessage {
  message: MessageResponse;
  /** False when client_msg_id repeated an earlier send; nothing new was stored. */
  created: boolean;
}

/** The one sending path and the history, whatever transport the request came by. */
@Injectable()
export class MessagesService {
  /** RATE_LIMIT_MESSAGES per RATE_LIMIT_WINDOW_S, per user, over every transport. */
  private readonly sendRule: RateRule;
  /** Edits, deletions and reactions: as many again, counted apart from sends. */
  private readonly changeRule: RateRule;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly rooms: RoomsService,
    private readonly rateLimiter: RateLimiter,
    private readonly events: MessageEvents,
    private readonly metrics: Metrics,
    private readonly mentions: Mentions,
    private readonly users: UsersService,
    config: AppConfig,
  ) {
    const { rateLimit } = config;
    this.sendRule = {
      name: 'send',
      limit: rateLimit.messages,
      windowMs: rateLimit.windowSeconds * 1000,
    };
    this.changeRule = { ...this.sendRule, name: 'change' };
  }

  /**
   * Takes from the rate limit, stores (once per client_msg_id), then publishes to the room.
   * Membership is checked by the store as it writes (on PostgreSQL inside the batched insert), so
   * the access query runs only for a refused send, to give the precise error. A refused send has
   * taken from its sender's limit, but an access error still comes before rate_limited, and a
   * repeat of a stored client_msg_id is answered even over the limit.
   * Resolves only once the message is stored, so an acknowledged message is never lost.
   */
  async send(auth: AuthUser, roomId: number, dto: SendMessageDto): Promise<SentMessage> {
    const clientMsgId = dto.client_msg_id ?? null;
    const replyTo = dto.reply_to ?? null;
    const retryAfterMs = await this.rateLimiter.take(this.sendRule, auth.id);
    if (retryAfterMs > 0) return this.answerOverLimit(auth, roomId, clientMsgId, retryAfterMs);
    if (replyTo !== null) await this.assertReplyTarget(auth, roomId, replyTo);
    const input: NewMessage = {
      roomId,
      userId: auth.id,
      username: auth.username,
      content: dto.content,
      clientMsgId,
      replyTo,
      mentions: await this.mentions.resolve(roomId, auth.id, dto.content),
    };
    // When the access check passes after a refusal, the sender joined in between: try once more.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const stored = await this.messages.create(input);
      if (stored) return this.published(stored, roomId);
      await this.rooms.assertCanSend(auth, roomId);
    }
    throw new Error(`the store twice refused a send to room ${roomId} that access allowed`);
  }

  /**
   * A page of history by id (`before`, `after`, or the newest); with `changed_after`, the
   * messages changed since that change_id, oldest change first; with `around`, the page centred
   * on that message.
   */
  async history(
    auth: AuthUser | null,
    roomId: number,
    query: HistoryQueryDto,
  ): Promise<MessageResponse[]> {
    const { before, after, changed_after: changedAfter, around } = query;
    const ways = [before ?? after, changedAfter, around].filter((cursor) => cursor !== undefined);
    if (ways.length > 1) {
      throw RequestError.validation([
        {
          field: around === undefined ? 'changed_after' : 'around',
          message:
            'takes no other cursor: before and after page by id, changed_after and around stand alone',
        },
      ]);
    }
    await this.rooms.assertVisible(auth, roomId);
    const limit = query.limit ?? LIMITS.history.default;
    let messages: Message[];
    if (around !== undefined) messages = await this.around(roomId, around, limit);
    else if (changedAfter !== undefined) {
      messages = await this.messages.listChanged(roomId, changedAfter, limit);
    } else messages = await this.messages.list(roomId, { limit, before, after });
    return messages.map(toMessageResponse);
  }

  /**
   * Up to `limit` messages with the message `id` in the middle, oldest first; where one side has
   * fewer, the other gives more, so the page is full whenever the room has enough.
   */
  private async around(roomId: number, id: number, limit: number): Promise<Message[]> {
    const message = await this.messages.findInRoom(roomId, id);
    if (!message) throw MessagesError.notFound(id, roomId);
    const [older, newer] = await Promise.all([
      this.messages.list(roomId, { limit: limit - 1, before: id }),
      this.messages.list(roomId, { limit: limit - 1, after: id }),
    ]);
    const olderCount = Math.min(older.length, Math.max((limit - 1) >> 1, limit - 1 - newer.length));
    const newerCount = Math.min(newer.length, limit - 1 - olderCount);
    return [...older.slice(older.length - olderCount), message, ...newer.slice(0, newerCount)];
  }

  /**
   * By its author only; an edit to the same text changes nothing. Its mentions are those of the
   * new text, and the users it names anew are notified.
   */
  async edit(
    auth: AuthUser,
    roomId: number,
    messageId: number,
    dto: EditMessageDto,
  ): Promise<MessageResponse> {
    const mentions = await this.mentions.resolve(roomId, auth.id, dto.content);
    // Who was named before, read only when the new text names anyone.
    const before = mentions.length > 0 ? await this.messages.findInRoom(roomId, messageId) : null;
    return this.change(
      auth,
      { kind: 'edit', roomId, messageId, userId: auth.id, content: dto.content, mentions },
      before?.mentions ?? [],
    );
  }

  /**
   * Leaves the tombstone, which it answers; deleting twice is no error. Its author, the room's
   * owner and admins, and server admins (in any room) may delete a message.
   */
  async delete(auth: AuthUser, roomId: number, messageId: number): Promise<MessageResponse> {
    const serverAdmin = await this.users.isServerAdmin(auth.id);
    return this.change(auth, { kind: 'delete', roomId, messageId, userId: auth.id, serverAdmin });
  }

  /** Adds (`on`) or takes back the caller's reaction; a repeat changes nothing. */
  async react(
    auth: AuthUser,
    roomId: number,
    messageId: number,
    emojiText: string,
    on: boolean,
  ): Promise<MessageResponse> {
    const emoji = reactionEmoji(emojiText);
    if (emoji === null) {
      throw RequestError.validation([{ field: 'emoji', message: 'must be exactly one emoji' }]);
    }
    return await this.change(auth, {
      kind: 'react',
      roomId,
      messageId,
      userId: auth.id,
      emoji,
      on,
    });
  }

  /** One message of a room the caller can read. */
  async findOne(
    auth: AuthUser | null,
    roomId: number,
    messageId: number,
  ): Promise<MessageResponse> {
    await this.rooms.assertVisible(auth, roomId);
    const message = await this.messages.findInRoom(roomId, messageId);
    if (!message) throw MessagesError.notFound(messageId, roomId);
    return toMessageResponse(message);
  }

  /**
   * A reply's parent must be a message of the room it is sent to. The sender's access is checked
   * first, so that an outsider learns nothing of the room's messages. Messages never move between
   * rooms, so the check cannot go stale before the reply is stored.
   */
  private async assertReplyTarget(auth: AuthUser, roomId: number, replyTo: number): Promise<void> {
    await this.rooms.assertCanSend(auth, roomId);
    if (!(await this.messages.findInRoom(roomId, replyTo))) {
      throw MessagesError.notFound(replyTo, roomId);
    }
  }

  /**
   * Takes from the caller's rate limit, applies the change (the store checks access and
   * authority as it writes), and publishes the changed message to the room. Over the limit,
   * a room the caller cannot read is still answered as such.
   */
  private async change(
    auth: AuthUser,
    change: MessageChange,
    namedBefore: readonly number[] = [],
  ): Promise<MessageResponse> {
    const retryAfterMs = await this.rateLimiter.take(this.changeRule, auth.id);
    if (retryAfterMs > 0) {
      await this.rooms.assertVisible(auth, change.roomId);
      throw RequestError.rateLimited(retryAfterMs);
    }
    const result = await this.messages.change(change);
    if (result.kind === 'refused') throw refusalError(result.refusal, change);
    const response = toMessageResponse(result.message);
    if (result.kind === 'changed') {
      if (change.kind === 'delete' && result.message.userId !== auth.id) {
        logModeration({
          action: 'message_deleted',
          actorId: auth.id,
          targetUserId: result.message.userId,
          roomId: change.roomId,
          messageId: change.messageId,
        });
      }
      this.events.messageUpdated(response);
      const named = response.mentions.filter((id) => !namedBefore.includes(id));
      if (named.length > 0) this.events.mentioned(named, response);
    }
    return response;
  }

  /** A send over the rate limit: only a repeat of a stored message is answered. */
  private async answerOverLimit(
    auth: AuthUser,
    roomId: number,
    clientMsgId: string | null,
    retryAfterMs: number,
  ): Promise<SentMessage> {
    const stored = clientMsgId && (await this.messages.findByClientMsgId(auth.id, clientMsgId));
    if (stored) return this.published({ message: stored, created: false }, roomId);
    await this.rooms.assertCanSend(auth, roomId);
    throw RequestError.rateLimited(retryAfterMs);
  }

  /**
   * The sender's answer to a stored send: a new message is published to the room first; a repeat
   * answers the stored one, if it was sent to the same room.
   */
  private published({ message, created }: StoredMessage, roomId: number): SentMessage {
    if (message.roomId !== roomId) {
      throw MessagesError.clientMsgIdConflict(message.clientMsgId!, message.roomId);
    }
    const response = toMessageResponse(message);
    if (created) {
      this.metrics.messageStored();
      this.events.messageCreated(response);
      if (response.mentions.length > 0) this.events.mentioned(response.mentions, response);
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
    created_at: isoTime(message.createdAt),
    client_msg_id: message.clientMsgId,
    reply_to: message.replyTo,
    edited_at: message.editedAt && isoTime(message.editedAt),
    deleted: message.deleted,
    reactions: message.reactions.length === 0 ? [] : message.reactions.map(toReactionResponse),
    change_id: message.changeId,
    mentions: message.mentions.length === 0 ? [] : [...message.mentions],
  };
}

function toReactionResponse({ emoji, userIds }: Reaction): ReactionResponse {
  return { emoji, count: userIds.length, user_ids: [...userIds] };
}

function refusalError(refusal: ChangeRefusal, { roomId, messageId }: MessageChange): AppError {
  switch (refusal) {
    case 'room_not_found':
      return RoomsError.notFound(roomId);
    case 'not_a_member':
      return RoomsError.notAMember(roomId);
    case 'message_not_found':
      return MessagesError.notFound(messageId, roomId);
    case 'not_message_author':
      return MessagesError.notAuthor(messageId);
    case 'forbidden':
      return MessagesError.mayNotDelete(messageId);
    case 'too_many_reactions':
      return RequestError.validation([
        {
          field: 'emoji',
          message: `a message takes at most ${LIMITS.reactionsPerMessage} different emoji`,
        },
      ]);
  }
}
