import type { UnreadCounts } from '../rooms/room-activity';
import type { HistoryPage, Message } from './message';

/**
 * One room's messages in memory: in id order for history, and in the order of their latest change
 * for catching up with `changed_after`. A change appends the new version to the change log; the
 * previous version's entry goes stale and is skipped, and the log is compacted once it holds twice
 * as many entries as the room has messages, so a read is a binary search and a short walk.
 */
export class RoomMessages {
  /** In id order. */
  private readonly messages: Message[] = [];
  /** In change_id order; an entry is live while it is its message's latest version. */
  private changeLog: Message[] = [];

  /** Per user, the ids of the live messages naming them, ascending: their unread mentions. */
  private readonly mentionIds = new Map<number, number[]>();

  add(message: Message): void {
    this.messages.push(message);
    this.logChange(message);
    for (const userId of message.mentions) this.mentionsOf(userId).push(message.id);
  }

  find(id: number): Message | null {
    const message = this.messages[this.firstIdAbove(id - 1)];
    return message?.id === id ? message : null;
  }

  /** Puts the new version of a message in place of its current one. */
  replace(next: Message): void {
    const index = this.firstIdAbove(next.id - 1);
    const previous = this.messages[index];
    this.messages[index] = next;
    this.logChange(next);
    if (previous.mentions === next.mentions) return;
    for (const userId of previous.mentions) {
      const ids = this.mentionsOf(userId);
      ids.splice(firstAbove(ids, next.id - 1, asIs), 1);
    }
    for (const userId of next.mentions) {
      const ids = this.mentionsOf(userId);
      ids.splice(firstAbove(ids, next.id, asIs), 0, next.id);
    }
  }

  list({ limit, before, after }: HistoryPage): Message[] {
    const start = after === undefined ? 0 : this.firstIdAbove(after);
    const end = before === undefined ? this.messages.length : this.firstIdAbove(before - 1);
    return after === undefined
      ? this.messages.slice(Math.max(start, end - limit), end)
      : this.messages.slice(start, Math.min(end, start + limit));
  }

  /** The id of the newest message; 0 when there is none. */
  newestId(): number {
    return this.messages.at(-1)?.id ?? 0;
  }

  /** What the reader has not read after `lastReadId`, each count stopping at `limit`. */
  unreadAfter(lastReadId: number, readerId: number, limit: number): UnreadCounts {
    let unread = 0;
    for (let index = this.firstIdAbove(lastReadId); index < this.messages.length; index++) {
      const message = this.messages[index];
      if (message.deleted || message.userId === readerId) continue;
      if (++unread === limit) break;
    }
    // A message never names its author, and a deleted one names nobody.
    const named = this.mentionIds.get(readerId) ?? [];
    const mentions = Math.min(limit, named.length - firstAbove(named, lastReadId, asIs));
    return { unread, mentions };
  }

  private mentionsOf(userId: number): number[] {
    let ids = this.mentionIds.get(userId);
    if (!ids) this.mentionIds.set(userId, (ids = []));
    return ids;
  }

  /** The newest `limit` messages with an id below `before` (if given) that `accept` takes. */
  newest(
    limit: number,
    before: number | undefined,
    accept: (message: Message) => boolean,
  ): Message[] {
    const found: Message[] = [];
    const end = before === undefined ? this.messages.length : this.firstIdAbove(before - 1);
    for (let index = end - 1; index >= 0 && found.length < limit; index--) {
      if (accept(this.messages[index])) found.push(this.messages[index]);
    }
    return found;
  }

  /** The oldest `limit` latest versions with a change_id greater than `changeId`. */
  changedAfter(changeId: number, limit: number): Message[] {
    const found: Message[] = [];
    for (let index = this.firstChangeAbove(changeId); index < this.changeLog.length; index++) {
      const entry = this.changeLog[index];
      if (!this.isLatest(entry)) continue;
      found.push(entry);
      if (found.length === limit) break;
    }
    return found;
  }

  private logChange(message: Message): void {
    this.changeLog.push(message);
    if (this.changeLog.length > 2 * this.messages.length) {
      this.changeLog = this.changeLog.filter((entry) => this.isLatest(entry));
    }
  }

  private isLatest(entry: Message): boolean {
    return this.find(entry.id) === entry;
  }

  /** Index of the first message whose id is greater than `id`. */
  private firstIdAbove(id: number): number {
    return firstAbove(this.messages, id, (message) => message.id);
  }

  /** Index of the first change log entry whose change_id is greater than `changeId`. */
  private firstChangeAbove(changeId: number): number {
    return firstAbove(this.changeLog, changeId, (message) => message.changeId);
  }
}

/** Binary search in a list sorted by `key`. */
function firstAbove<T>(list: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (key(list[middle]) > value) high = middle;
    else low = middle + 1;
  }
  return low;
}

const asIs = (id: number) => id;
