import { Injectable } from '@nestjs/common';
import type { ReadPosition } from '../rooms/room';
import { UNREAD_COUNT_LIMIT, type ReadingState, type UnreadCounts } from '../rooms/room-activity';
import { RoomsRepository } from '../rooms/rooms.repository';
import {
  NO_MENTIONS,
  NO_REACTIONS,
  type HistoryPage,
  type Message,
  type NewMessage,
} from './message';
import { decideChange, type MessageChange } from './message-changes';
import { matchesSearch } from './message-search';
import {
  MessagesRepository,
  type ChangeResult,
  type MessageSearch,
  type StoredMessage,
} from './messages.repository';
import { RoomMessages } from './room-messages';

const NOTHING_UNREAD: UnreadCounts = Object.freeze({ unread: 0, mentions: 0 });

@Injectable()
export class MessagesMemoryRepository extends MessagesRepository {
  private readonly rooms = new Map<number, RoomMessages>();
  /** Where each (user, client_msg_id) was stored: the message itself may change since. */
  private readonly byClientMsgId = new Map<string, { roomId: number; id: number }>();
  private lastId = 0;
  /** One counter for every room, as on PostgreSQL: it grows within each room. */
  private lastChangeId = 0;

  constructor(private readonly roomsRepository: RoomsRepository) {
    super();
  }

  async create(input: NewMessage): Promise<StoredMessage | null> {
    const access = await this.roomsRepository.access(input.roomId, input.userId);
    // Nothing awaits from here on, so no other send can store the same client_msg_id in between.
    // A repeat is answered before membership counts, as PostgreSQL's batched insert does.
    const key = input.clientMsgId === null ? null : `${input.userId}:${input.clientMsgId}`;
    const existing = key === null ? undefined : this.byClientMsgId.get(key);
    if (existing) return { message: this.current(existing.roomId, existing.id)!, created: false };
    if (!access?.isMember) return null;
    // Spelled out: spreading `input` and then adding fields takes V8's slow path (microseconds).
    // Frozen, and handed out as it is kept: no copy per send or per history page.
    const message: Message = Object.freeze({
      id: ++this.lastId,
      roomId: input.roomId,
      userId: input.userId,
      username: input.username,
      content: input.content,
      createdAt: new Date(),
      clientMsgId: input.clientMsgId,
      replyTo: input.replyTo,
      editedAt: null,
      deleted: false,
      reactions: NO_REACTIONS,
      changeId: ++this.lastChangeId,
      mentions: input.mentions.length === 0 ? NO_MENTIONS : Object.freeze([...input.mentions]),
    });
    this.room(input.roomId).add(message);
    if (key !== null) this.byClientMsgId.set(key, { roomId: message.roomId, id: message.id });
    return { message, created: true };
  }

  async change(change: MessageChange): Promise<ChangeResult> {
    const access = await this.roomsRepository.access(change.roomId, change.userId);
    // Nothing awaits from here on: the decision and its write are one step.
    const room = this.rooms.get(change.roomId);
    const message = room?.find(change.messageId) ?? null;
    const decision = decideChange(change, { room: access, message }, new Date());
    switch (decision.kind) {
      case 'refused':
        return decision;
      case 'unchanged':
        return { kind: 'unchanged', message: message! };
      case 'changed': {
        const next: Message = Object.freeze({
          ...message!,
          ...decision.fields,
          changeId: ++this.lastChangeId,
        });
        room!.replace(next);
        return { kind: 'changed', message: next };
      }
    }
  }

  async findByClientMsgId(userId: number, clientMsgId: string): Promise<Message | null> {
    const stored = this.byClientMsgId.get(`${userId}:${clientMsgId}`);
    return stored ? this.current(stored.roomId, stored.id) : null;
  }

  async findInRoom(roomId: number, id: number): Promise<Message | null> {
    return this.current(roomId, id);
  }

  async list(roomId: number, page: HistoryPage): Promise<Message[]> {
    return this.rooms.get(roomId)?.list(page) ?? [];
  }

  async listChanged(roomId: number, changedAfter: number, limit: number): Promise<Message[]> {
    return this.rooms.get(roomId)?.changedAfter(changedAfter, limit) ?? [];
  }

  async forgetRoom(roomId: number): Promise<void> {
    if (!this.rooms.delete(roomId)) return;
    for (const [key, stored] of this.byClientMsgId) {
      if (stored.roomId === roomId) this.byClientMsgId.delete(key);
    }
  }

  async newestMessageId(roomId: number): Promise<number> {
    return this.rooms.get(roomId)?.newestId() ?? 0;
  }

  async readingState(roomId: number, userId: number): Promise<ReadingState> {
    return {
      lastReadId: await this.roomsRepository.readPosition(roomId, userId),
      newestId: this.rooms.get(roomId)?.newestId() ?? 0,
    };
  }

  async unreadCounts(
    userId: number,
    positions: readonly ReadPosition[],
  ): Promise<Map<number, UnreadCounts>> {
    return new Map(
      positions.map(({ roomId, lastReadId }) => [
        roomId,
        this.rooms.get(roomId)?.unreadAfter(lastReadId, userId, UNREAD_COUNT_LIMIT) ??
          NOTHING_UNREAD,
      ]),
    );
  }

  /** Walks each room back from its newest message; the matching rule is message-search.ts's. */
  async search({ roomIds, query, before, limit }: MessageSearch): Promise<Message[]> {
    const accept = (message: Message) => !message.deleted && matchesSearch(query, message.content);
    return roomIds
      .flatMap((roomId) => this.rooms.get(roomId)?.newest(limit, before, accept) ?? [])
      .sort((a, b) => b.id - a.id)
      .slice(0, limit);
  }

  private room(roomId: number): RoomMessages {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new RoomMessages();
      this.rooms.set(roomId, room);
    }
    return room;
  }

  private current(roomId: number, id: number): Message | null {
    return this.rooms.get(roomId)?.find(id) ?? null;
  }
}
