import { Injectable } from '@nestjs/common';
import { LIMITS } from '../common/limits';
import { RoomsService } from '../rooms/rooms.service';
import { UsersService } from '../users/users.service';

/** Names looked up per message at most: a message naming more notifies the first ones. */
const MAX_NAMES = 50;

/**
 * `@name` where name is made of username characters, not inside a word or an address
 * (`ada@example.org` names nobody).
 */
const MENTION = /(?<![\p{L}\p{N}_.@-])@([A-Za-z0-9_.-]+)/gu;

/**
 * The names a text mentions, lower-cased, in order of first use. A name that ends in `.` or `-`
 * also counts without them ("thanks @ada." names ada), since usernames rarely end so.
 */
export function mentionedNames(content: string): string[] {
  const names = new Set<string>();
  for (const [, name] of content.matchAll(MENTION)) {
    const trimmed = name.replace(/[.-]+$/, '');
    for (const candidate of [name, trimmed]) {
      if (candidate.length >= LIMITS.username.min && candidate.length <= LIMITS.username.max) {
        names.add(candidate.toLowerCase());
      }
    }
    if (names.size >= MAX_NAMES) break;
  }
  return [...names];
}

/** Resolves the `@username`s of a message into the users it names. */
@Injectable()
export class Mentions {
  constructor(
    private readonly users: UsersService,
    private readonly rooms: RoomsService,
  ) {}

  /**
   * Ids of the users the content names who can read the room (anyone for a public room, its
   * members for a private one), other than the author, in id order. No lookup for a text
   * without `@`.
   */
  async resolve(roomId: number, authorId: number, content: string): Promise<number[]> {
    if (!content.includes('@')) return [];
    const names = mentionedNames(content);
    if (names.length === 0) return [];
    const named = (await this.users.findByUsernames(names))
      .map((user) => user.id)
      .filter((id) => id !== authorId);
    if (named.length === 0) return [];
    return (await this.rooms.readersAmong(roomId, named)).sort((a, b) => a - b);
  }
}
