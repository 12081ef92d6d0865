import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { LIMITS } from '../common/limits';
import { parseSearchQuery } from '../messages/message-search';
import { MessagesRepository } from '../messages/messages.repository';
import { toMessageResponse } from '../messages/messages.service';
import { RoomsService } from '../rooms/rooms.service';
import { SearchHitResponse, SearchQueryDto } from './dto/search.dto';

/** Message search over the rooms a user can read (the rule: messages/message-search.ts). */
@Injectable()
export class SearchService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly rooms: RoomsService,
  ) {}

  /**
   * The newest matches first, in the caller's rooms, or in the one room asked for if the caller
   * may read it (else room_not_found, as everywhere). A query without a word to look for finds
   * nothing.
   */
  async searchMessages(auth: AuthUser, dto: SearchQueryDto): Promise<SearchHitResponse[]> {
    const { room_id: roomId, before, limit = LIMITS.history.default } = dto;
    if (roomId !== undefined) await this.rooms.assertVisible(auth, roomId);
    const query = parseSearchQuery(dto.q);
    if (query === null) return [];
    const roomIds = roomId !== undefined ? [roomId] : await this.rooms.roomIdsOf(auth.id);
    const found = await this.messages.search({ roomIds, query, before, limit });
    if (found.length === 0) return [];
    const names = await this.rooms.roomNames(auth, [...new Set(found.map((m) => m.roomId))]);
    // A room deleted in between takes its messages along.
    return found
      .filter((message) => names.has(message.roomId))
      .map((message) => ({
        ...toMessageResponse(message),
        room_name: names.get(message.roomId)!,
      }));
  }
}
