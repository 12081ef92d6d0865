import { Injectable } from '@nestjs/common';
import { RoomsRepository } from '../rooms/rooms.repository';
import type { HistoryPage, Message, NewMessage } from './message';
import { MessagesRepository, StoredMessage } from './messages.repository';

@Injectable()
export class MessagesMemoryRepository extends MessagesRepository {
  /** Each room's messages in id order. */
  private readonly rooms = new Map<number, Message[]>();
  private readonly byClientMsgId = new Map<string, Message>();
  private lastId = 0;

  constructor(private readonly roomsRepository: RoomsRepository) {
    super();
  }

  async create(input: NewMessage): Promise<StoredMessage | null> {
    const access = await this.roomsRepository.access(input.roomId, input.userId);
    // Nothing awaits from here on, so no other send can store the same client_msg_id in between.
    // A repeat is answered before membership counts, as PostgreSQL's batched insert does.
    const key = input.clientMsgId === null ? null : `${input.userId}:${input.clientMsgId}`;
    const existing = key === null ? undefined : this.byClientMsgId.get(key);
    if (existing) return { message: existing, created: false };
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
    });
    const room = this.rooms.get(input.roomId) ?? [];
    room.push(message);
    this.rooms.set(input.roomId, room);
    if (key !== null) this.byClientMsgId.set(key, message);
    return { message, created: true };
  }

  async findByClientMsgId(userId: number, clientMsgId: string): Promise<Message | null> {
    return this.byClientMsgId.get(`${userId}:${clientMsgId}`) ?? null;
  }

  async findInRoom(roomId: number, id: number): Promise<Message | null> {
    const room = this.rooms.get(roomId) ?? [];
    const message = room[firstIndexAbove(room, id - 1)];
    return message?.id === id ? message : null;
  }

  async list(roomId: number, { limit, before, after }: HistoryPage): Promise<Message[]> {
    const room = this.rooms.get(roomId) ?? [];
    const start = after === undefined ? 0 : firstIndexAbove(room, after);
    const end = before === undefined ? room.length : firstIndexAbove(room, before - 1);
    return after === undefined
      ? room.slice(Math.max(start, end - limit), end)
      : room.slice(start, Math.min(end, start + limit));
  }
}

/** Index of the first message whose id is greater than `id` (binary search on the sorted ids). */
function firstIndexAbove(messages: readonly Message[], id: number): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (messages[middle].id > id) high = middle;
    else low = middle + 1;
  }
  return low;
}
