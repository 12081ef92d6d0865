import type { Ack, MessageAck, MessagesAck } from '../../src/contract/events';
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
    return accepted(ack).message;
  }

  /** The oldest `limit` messages of a room after `after`; a lost `sync` ack asks REST instead. */
  messagesAfter(roomId: number, after: number, limit: number): Promise<Message[]> {
    return this.either(
      async () =>
        accepted(
          await this.realtime.request<MessagesAck>('sync', {
            room_id: roomId,
            after_id: after,
            limit,
          }),
        ).messages,
      () => this.api.messages(roomId, { after, limit }),
    );
  }

  /** The messages of a room changed after the change_id `after`, oldest change first (`limit`). */
  changesAfter(roomId: number, after: number, limit: number): Promise<Message[]> {
    return this.either(
      async () =>
        accepted(
          await this.realtime.request<MessagesAck>('sync', {
            room_id: roomId,
            changed_after: after,
            limit,
          }),
        ).messages,
      () => this.api.messages(roomId, { changed_after: after, limit }),
    );
  }

  /** Replaces the content of one's own message; answers the edited message. */
  edit(roomId: number, messageId: number, content: string): Promise<Message> {
    return this.either(
      async () =>
        accepted(
          await this.realtime.request<MessageAck>('edit_message', {
            room_id: roomId,
            message_id: messageId,
            content,
          }),
        ).message,
      () => this.api.edit(roomId, messageId, content),
    );
  }

  /** Deletes a message; answers its tombstone, or null when REST answered without it. */
  delete(roomId: number, messageId: number): Promise<Message | null> {
    return this.either<Message | null>(
      async () =>
        accepted(
          await this.realtime.request<MessageAck>('delete_message', {
            room_id: roomId,
            message_id: messageId,
          }),
        ).message,
      async () => {
        await this.api.deleteMessage(roomId, messageId);
        return null;
      },
    );
  }

  /** Adds (`on`) or takes back the user's reaction; answers the message with its reactions. */
  react(roomId: number, messageId: number, emoji: string, on: boolean): Promise<Message> {
    return this.either(
      async () =>
        accepted(
          await this.realtime.request<MessageAck>('react', {
            room_id: roomId,
            message_id: messageId,
            emoji,
            on,
          }),
        ).message,
      () => this.api.react(roomId, messageId, emoji, on),
    );
  }

  /** Tells how far the user has read a room (`mark_read`, or REST while disconnected). */
  markRead(roomId: number, lastReadId: number): Promise<void> {
    return this.either(
      async () => {
        accepted(
          await this.realtime.request<Ack>('mark_read', {
            room_id: roomId,
            last_read_id: lastReadId,
          }),
        );
      },
      () => this.api.markRead(roomId, lastReadId),
    );
  }

  /**
   * Asks over Socket.IO while it is connected; when it is not, or the ack is lost, asks REST
   * (each of these calls can be repeated safely). A refusal by the server is thrown as it is.
   */
  private async either<T>(socket: () => Promise<T>, rest: () => Promise<T>): Promise<T> {
    if (this.realtime.connected) {
      try {
        return await socket();
      } catch (error) {
        if (error instanceof ApiError) throw error;
        // Not connected or no ack: REST below.
      }
    }
    return rest();
  }
}

/** The ack's success, or its refusal thrown as an ApiError. */
function accepted<T extends object>(ack: Ack<T>): { ok: true } & T {
  if (ack.ok) return ack;
  const { code, message, retry_after_ms: retryAfter } = ack.error;
  throw new ApiError(0, code, message, retryAfter);
}
