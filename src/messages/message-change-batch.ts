import type { RoomAccess } from '../rooms/room';
import type { Message, Reaction } from './message';
import { decideChange, type ChangeRefusal, type MessageChange } from './message-changes';
import type { ChangeResult } from './messages.repository';

/** A reaction row to insert: its emoji's place on the message, and its order among its users. */
export interface ReactionInsert {
  messageId: number;
  userId: number;
  emoji: string;
  position: number;
}

export interface ReactionKey {
  messageId: number;
  userId: number;
  emoji: string;
}

/** What a batch of changes writes: rows to delete before those to insert, then message updates. */
export interface ChangeWrites {
  reactionDeletes: ReactionKey[];
  /** In the order they must get their ids. */
  reactionInserts: ReactionInsert[];
  /** The changed messages' new versions, without their new change_id. */
  updates: Message[];
}

/** What a batch met in the locked store: the rooms by id, and the messages with their emoji places. */
export interface BatchState {
  room(roomId: number, userId: number): RoomAccess | null;
  messages: ReadonlyMap<number, Message>;
  /** Each message's emoji places, as stored. */
  positions: ReadonlyMap<number, ReadonlyMap<string, number>>;
}

/** A change's answer before the batch is written: the final message is known once it is. */
type Pending =
  | { kind: 'changed' | 'unchanged'; messageId: number }
  | { kind: 'refused'; refusal: ChangeRefusal };

/**
 * Applies a batch of changes, in order, to the state read under the rooms' locks, by the same
 * rules as the memory store (`decideChange`), and works out the rows to write. Every change
 * answers the message as the whole batch leaves it: they commit together.
 */
export class ChangeBatch {
  private readonly current = new Map<number, Message>();
  private readonly changed = new Set<number>();
  /** Reactions taken back in this batch, by message then `userId:emoji`: stored rows to delete. */
  private readonly removed = new Map<number, Set<string>>();
  /** Emoji whose last reaction went in this batch: if they come back, they come back last. */
  private readonly emptied = new Map<number, Set<string>>();
  private readonly pending: Pending[] = [];

  constructor(
    private readonly state: BatchState,
    private readonly now: Date,
  ) {}

  apply(changes: readonly MessageChange[]): void {
    for (const change of changes) this.pending.push(this.applyOne(change));
  }

  writes(): ChangeWrites {
    const writes: ChangeWrites = { reactionDeletes: [], reactionInserts: [], updates: [] };
    for (const messageId of this.changed) {
      const message = this.current.get(messageId)!;
      const stored = this.state.messages.get(messageId)!;
      const removed = this.removed.get(messageId) ?? new Set<string>();
      for (const key of reactionKeys(stored.reactions)) {
        if (removed.has(key)) writes.reactionDeletes.push(reactionKey(messageId, key));
      }
      this.insertsOf(message, stored, removed, writes.reactionInserts);
      writes.updates.push(message);
    }
    return writes;
  }

  /** The answers, in the batch's order, once the changed messages have their change_ids. */
  results(changeIds: ReadonlyMap<number, number>): ChangeResult[] {
    return this.pending.map((pending) => {
      if (pending.kind === 'refused') return pending;
      const message =
        this.current.get(pending.messageId) ?? this.state.messages.get(pending.messageId)!;
      const changeId = changeIds.get(pending.messageId);
      return {
        kind: pending.kind,
        message: changeId === undefined ? message : { ...message, changeId },
      };
    });
  }

  private applyOne(change: MessageChange): Pending {
    const found = this.current.get(change.messageId) ?? this.state.messages.get(change.messageId);
    const message = found?.roomId === change.roomId ? found : null;
    const room = this.state.room(change.roomId, change.userId);
    const decision = decideChange(change, { room, message }, this.now);
    switch (decision.kind) {
      case 'refused':
        return decision;
      case 'unchanged':
        return { kind: 'unchanged', messageId: message!.id };
      case 'changed': {
        const next: Message = { ...message!, ...decision.fields };
        this.noteRemovals(message!, next);
        this.current.set(next.id, next);
        this.changed.add(next.id);
        return { kind: 'changed', messageId: next.id };
      }
    }
  }

  private noteRemovals(before: Message, after: Message): void {
    const remaining = new Set(reactionKeys(after.reactions));
    const emojiLeft = new Set(after.reactions.map((reaction) => reaction.emoji));
    for (const reaction of before.reactions) {
      if (!emojiLeft.has(reaction.emoji)) setOf(this.emptied, before.id).add(reaction.emoji);
      for (const userId of reaction.userIds) {
        const key = `${userId}:${reaction.emoji}`;
        if (!remaining.has(key)) setOf(this.removed, before.id).add(key);
      }
    }
  }

  /**
   * The rows of the message's final reactions that are not stored as they are: new ones, and
   * ones taken back and given again (which now come after the others). An emoji keeps its stored
   * place unless it was emptied in the batch; a new one goes after every place the message has.
   */
  private insertsOf(
    message: Message,
    stored: Message,
    removed: ReadonlySet<string>,
    inserts: ReactionInsert[],
  ): void {
    const storedKeys = new Set(reactionKeys(stored.reactions));
    const places = new Map(this.state.positions.get(message.id));
    const emptied = this.emptied.get(message.id);
    let lastPlace = Math.max(0, ...places.values());
    for (const { emoji, userIds } of message.reactions) {
      let position = emptied?.has(emoji) ? undefined : places.get(emoji);
      if (position === undefined) {
        position = ++lastPlace;
        places.set(emoji, position);
      }
      for (const userId of userIds) {
        const key = `${userId}:${emoji}`;
        if (storedKeys.has(key) && !removed.has(key)) continue;
        inserts.push({ messageId: message.id, userId, emoji, position });
      }
    }
  }
}

function reactionKeys(reactions: readonly Reaction[]): string[] {
  return reactions.flatMap(({ emoji, userIds }) => userIds.map((userId) => `${userId}:${emoji}`));
}

function reactionKey(messageId: number, key: string): ReactionKey {
  const separator = key.indexOf(':');
  return { messageId, userId: Number(key.slice(0, separator)), emoji: key.slice(separator + 1) };
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set<V>();
    map.set(key, set);
  }
  return set;
}
