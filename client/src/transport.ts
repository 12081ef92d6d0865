import type { MessageAck, MessagesAck } from '../../src/contract/events';
import type { Message } from '../../src/contract/objects';
import type { Api } from './api';
import { ApiError } from './errors';
import type { Realtime } from './realtime';
import type { StoredPending } from './storage';

/** The calls that go over Socket.IO while it is connected, and over REST otherwise. */
export class Transport {
  constructor(
    private readonly api: Api,
    private readonly realtime: Realtime,
  ) {}

  /** Sends a message with its client_msg_id; the server's refusal is thrown as an ApiError. */
  async send(pending: StoredPending): Promise<Message> {
    if (!this.realtime.connected) {
      return this.api.send(pending.roomId, pending.content, pending.cid, pending.replyTo ?? null);
    }
    const ack = await this.realtime.request<MessageAck>('chat_message', {
      room_id: pending.roomId,
      content: pending.content,
      client_msg_id: pending.cid,
      ...(typeof pending.replyTo === 'number' && { reply_to: pending.replyTo }),
    });
    if (!ack.ok) {
      const { code, message, retry_after_ms: retryAfter } = ack.error;
      throw new ApiError(0, code, message, retryAfter);
    }
    return ack.message;
  }

  /** The oldest `limit` messages of a room after `after`; a lost `sync` ack asks REST instead. */
  async messagesAfter(roomId: number, after: number, limit: number): Promise<Message[]> {
    if (this.realtime.connected) {
      try {
        const ack = await this.realtime.request<MessagesAck>('sync', {
          room_id: roomId,
          after_id: after,
          limit,
        });
        if (ack.ok) return ack.messages;
        throw new ApiError(0, ack.error.code, ack.error.message);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        // Not connected or no ack: REST below.
      }
    }
    return this.api.messages(roomId, { after, limit });
  }
}
